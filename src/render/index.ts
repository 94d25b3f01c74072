// The three plan renderers behind one name each; all read a Plan and never change it.
// Choose the format in the CLI; none of them prints or knows about the terminal.
export { renderText, type TextRenderOptions } from './text.js';
export { renderMarkdown, stickyMarker, MARKDOWN_LIMIT } from './markdown.js';
export { renderJson } from './json.js';
