; Folds: anchor blocks, multi-line lists and table address blocks.
(anchor_block) @fold
(list) @fold
(port_list) @fold
(table_addresses) @fold
