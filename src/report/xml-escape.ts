// XML 1.0 allows only tab, LF and CR below U+0020, no U+FFFE/U+FFFF and no lone surrogate.
// A SUT can put any of them into a frame, and from there into a reason, so they are spelled out
// as visible \uXXXX text instead of being dropped (the report must still show what was sent).
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const visible = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Escapes text for XML character data: markup characters as entities, forbidden characters spelled out. */
export function escapeXmlText(text: string): string {
  return text.replace(FORBIDDEN, visible).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for a double-quoted XML attribute; tab and line breaks become references so parsers keep them. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
