; Highlights for pf.conf. Capture names follow the common tree-sitter set
; (Neovim, Helix, GitHub) so they work without our language server.

(comment) @comment
(string) @string
(line_continuation) @punctuation.special

; Macros
(macro_definition name: (macro_name) @variable.definition)
(macro_reference) @variable
(modified_macro modifier: (interface_modifier) @attribute)

; Tables
(table_reference name: (table_name) @type)
(table_reference ["<" ">"] @punctuation.bracket)
(table_definition name: (table_reference name: (table_name) @type.definition))
(table_option) @keyword.modifier

; Statement keywords
["table" "set" "anchor" "nat-anchor" "rdr-anchor" "binat-anchor" "scrub-anchor"
 "dummynet-anchor" "load" "include" "queue" "altq" "antispoof" "ether" "scrub"] @keyword
(filter_rule action: (action) @keyword.control)
(ether_rule action: (action) @keyword.control)
(translation_rule kind: _ @keyword.control)
["no"] @keyword.control

; Rule parts
(direction) @keyword.modifier
(address_family) @type.builtin
["on" "proto" "from" "to" "port" "flags" "log" "user" "group" "code"
 "icmp-type" "icmp6-type" "keep" "modulate" "synproxy" "state" "for" "parent"] @keyword
(any) @constant.builtin
(flag_option) @keyword
(value_option name: (keyword) @keyword)
(block_return kind: _ @keyword)
(translation kind: _ @keyword.function)
(route kind: _ @keyword.function)
(divert kind: _ @keyword.function)
(pool_option) @keyword.modifier
(scheduler name: _ @function.builtin)
(log_options ["all" "matches" "user"] @keyword.modifier)
(option name: (option_name) @property)
(keyword) @keyword

; Values
(operator) @operator
["!" "=" "/" "-" "->"] @operator
["{" "}" "(" ")"] @punctuation.bracket
"," @punctuation.delimiter
(address prefix: (word) @number)
(port_spec (word) @number)
