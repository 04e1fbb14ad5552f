import type { SlackBlock, SlackMessage } from '../../shared/notify/slack-message';

/** A plain-text view of a Block Kit message, close to what Slack shows: for golden files and docs. */
export const previewSlackMessage = (message: SlackMessage): string => {
  const render = (block: SlackBlock): string => {
    switch (block.type) {
      case 'header':
        return `# ${block.text.text}`;
      case 'section': {
        const fields = (block.fields ?? []).map((f) => f.text.replace('\n', ': ')).join('\n');
        return [block.text?.text, fields].filter((t) => t !== undefined && t !== '').join('\n');
      }
      case 'context':
        return block.elements.map((e) => `> ${e.text}`).join('\n');
      case 'divider':
        return '---';
    }
  };
  return `notification: ${message.text}\n\n${message.blocks.map(render).join('\n\n')}\n`;
};
