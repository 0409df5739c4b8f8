type BaseNode = { type: string; named: boolean };
type ChildNode = { multiple: boolean; required: boolean; types: BaseNode[] };
type NodeInfo = BaseNode & { fields?: { [name: string]: ChildNode }; children?: ChildNode[]; subtypes?: BaseNode[] };
type Language = { language: unknown; nodeTypeInfo: NodeInfo[] };
declare const language: Language;
export = language;
