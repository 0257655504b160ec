import { Typography } from '@mantine/core';
import ReactMarkdown from 'react-markdown';

/**
 * Renders user-written Markdown safely: no raw HTML (react-markdown without rehype-raw, and
 * `skipHtml` drops HTML nodes), no images (as in the original dock), and react-markdown's
 * default URL filter removes `javascript:` and other unsafe links.
 */
export function Markdown({ children }: { children: string }) {
  return (
    <Typography>
      <ReactMarkdown skipHtml disallowedElements={['img']} unwrapDisallowed>
        {children}
      </ReactMarkdown>
    </Typography>
  );
}
