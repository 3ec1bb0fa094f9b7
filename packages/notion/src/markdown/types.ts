/** The slice of Notion's block and rich-text JSON the converters read and write. */

export interface Annotations {
  bold?: boolean;
  italic?: boolean;
  strikethrough?: boolean;
  underline?: boolean;
  code?: boolean;
  color?: string;
}

export interface RichText {
  type: 'text' | 'mention' | 'equation';
  plain_text?: string;
  href?: string | null;
  annotations?: Annotations;
  text?: { content: string; link?: { url: string } | null };
  equation?: { expression: string };
  mention?: Record<string, any> & { type: string };
}

/** A block to create: `{ type, [type]: { ..., children? } }`. */
export interface BlockInput {
  type: string;
  [key: string]: any;
}

/** A block read from the API, with its children attached when they were fetched. */
export interface Block extends BlockInput {
  id: string;
  has_children?: boolean;
  children?: Block[];
}
