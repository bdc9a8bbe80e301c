/**
 * True for names the File provider never reads inside a watched directory: dotfiles and dot-directories,
 * and editor leftovers (`name~`, vim's `.swp`/`.swo`/`.swx`, emacs' `#name#`, `4913` vim probe files).
 */
export function isIgnoredFileName(name: string): boolean {
  return (
    name.startsWith(".") ||
    name.endsWith("~") ||
    /\.sw[a-p]$/.test(name) ||
    name.endsWith(".swx") ||
    (name.startsWith("#") && name.endsWith("#")) ||
    name === "4913"
  );
}

/** True for the file names read from a watched directory: `.yaml`, `.yml` and `.json`. */
export function isResourceFileName(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name);
}
