import type { SlackMessage, SlackText } from '../../shared/notify';

const EMOJI: Record<string, string> = {
  ':rotating_light:': '🚨',
  ':red_circle:': '🔴',
  ':large_orange_circle:': '🟠',
  ':large_yellow_circle:': '🟡',
  ':white_circle:': '⚪',
};

const plain = (t: SlackText): string =>
  t.text
    .replace(/:[a-z_]+:/g, (code) => EMOJI[code] ?? code)
    .replace(/<!date\^[^|>]*\|([^>]+)>/g, '$1')
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** A terminal preview of a Block Kit message, as Slack would lay it out. */
export const renderSlackPreview = (message: SlackMessage): string => {
  const lines: string[] = [];
  for (const block of message.blocks) {
    if (block.type === 'header') lines.push(`┃ ${plain(block.text)}`);
    if (block.type === 'divider') lines.push('┃ ────────────────────────────────────────');
    if (block.type === 'context') lines.push(`┃ ${block.elements.map(plain).join('  ·  ')}`);
    if (block.type === 'section') {
      if (block.text) for (const line of plain(block.text).split('\n')) lines.push(`┃ ${line}`);
      if (block.fields) lines.push(`┃ ${block.fields.map(plain).join('   ')}`.replace(/\n/g, ' '));
    }
  }
  return `${lines.join('\n')}\n`;
};
