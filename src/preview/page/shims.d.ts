// json-editor ships no types; the page uses its constructor, on/validate/getValue/destroy.
declare module '@json-editor/json-editor' {
  export const JSONEditor: any;
}
