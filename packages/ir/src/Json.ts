/** Any JSON value, as upstream stores raw JSON (`apiextensionsv1.JSON`). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON object (for example an unstructured Kubernetes resource). */
export type JsonObject = { readonly [key: string]: JsonValue };

/**
 * A Go `metav1.Duration` in its JSON form, such as `"10s"`, `"1m30s"` or `"500ms"`.
 * The codec checks the syntax on decode and writes Go's canonical spelling on encode.
 */
export type Duration = string;

/** A Kubernetes `resource.Quantity` in its canonical string form, such as `"32Ki"`. */
export type Quantity = string;
