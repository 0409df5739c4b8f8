; Macros and tables are file-wide names; anchors open a scope for tables.
(source_file) @local.scope
(anchor_block) @local.scope
(macro_definition name: (macro_name) @local.definition)
(table_definition name: (table_reference name: (table_name) @local.definition))
(macro_reference) @local.reference
(table_reference name: (table_name) @local.reference)
