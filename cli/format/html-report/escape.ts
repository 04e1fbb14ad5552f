import { escapeControlChars } from '../values';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text already free of control and bidi characters, as HTML text or an attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/**
 * Stage data (API names, stage names, values) as HTML: control, bidi and separator characters
 * written as visible escapes as in every other report (`escapeControlChars`), then `& < > " '`
 * as entities, so `<script>` in an API name is text, in an element and in an attribute alike.
 */
export const htmlText = (text: string): string => escapeHtml(escapeControlChars(text));

/** `2026-11-02T09:30:00.000Z` → `2026-11-02 09:30 UTC`. */
export const formatTime = (iso: string): string => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

/** A fragment id from a sequence number: never from stage data. */
export const stageAnchor = (index: number): string => `stage-${index + 1}`;
