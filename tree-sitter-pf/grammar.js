/**
 * @file pf.conf — the configuration language of the Packet Filter firewall
 *       (OpenBSD 7.x, FreeBSD 14/15, macOS).
 * @license ISC
 *
 * The grammar follows pfctl's own lexer where it matters:
 *  - a statement ends at a newline; `\` before the newline continues it;
 *  - a bare word is any run of letters, digits and the punctuation pfctl allows
 *    inside unquoted strings (so `em0:network`, `1024:2048`, `fe80::1%lo0` and
 *    `nat-to` are single words);
 *  - macros are textual, so `$name` may stand wherever a value, a list or even a
 *    whole group of rule options could stand once expanded.
 *
 * It is deliberately permissive about the *order* of rule options: pfctl's order
 * rules are checked later by the analyzer on expanded text, so real configs that
 * hide keywords inside macros never get false syntax errors here.
 */

/* eslint-disable no-undef */

const PREC = {
  range: 2,
  negation: 3,
};

/** Keywords that start a filter rule. */
const FILTER_ACTIONS = ['pass', 'block', 'match'];

/** Options that stand alone (no value). */
const FLAG_OPTIONS = [
  'quick', 'all', 'fragment', 'allow-opts', 'once', 'no-df', 'random-id', 'drop',
  'static-port', 'bitmask', 'random', 'source-hash', 'round-robin',
  'least-states', 'sticky-address', 'divert-reply', 'reassemble', 'crop',
  'drop-ovl', 'l3',
];

/**
 * Options followed by exactly one value (a word, string, number, macro or list).
 * Multi-word ones (`icmp-type x code y`, `set prio`, `state` forms) have rules of
 * their own below.
 */
const VALUE_OPTIONS = [
  'label', 'tag', 'tagged', 'queue', 'rtable', 'probability', 'prio',
  'max-pkt-rate', 'received-on', 'os', 'tos', 'max-mss', 'min-ttl', 'set-tos',
  'rdomain', 'ridentifier', 'dnpipe', 'dnqueue', 'bridge-to',
  'max-src-nodes', 'max-src-states', 'max-src-conn', 'max-src-conn-rate', 'overload',
];

module.exports = grammar({
  name: 'pf',

  // Newlines end statements, so they are not extras; CR is, so CRLF files parse.
  extras: $ => [/[ \t\f\r\v]/, $.comment, $.line_continuation],

  word: $ => $._word,

  conflicts: $ => [
    // `pass ... on $if` — a macro may be an interface or start the rest of the rule.
    [$.interface_spec],
    // `anchor $name` — the macro may be the anchor's name or hold rule options.
    [$.anchor_rule, $._rule_item],
  ],

  rules: {
    source_file: $ => seq(
      repeat(choice($._newline, seq($._statement, $._newline))),
      optional($._statement),
    ),

    _newline: _ => '\n',

    comment: _ => token(seq('#', /[^\n]*/)),

    line_continuation: _ => token(seq('\\', /\r?\n/)),

    _statement: $ => choice(
      $.macro_definition,
      $.table_definition,
      $.option,
      $.filter_rule,
      $.anchor_rule,
      $.load_anchor,
      $.include,
      $.queue_rule,
      $.altq_rule,
      $.translation_rule,
      $.scrub_rule,
      $.antispoof_rule,
      $.ether_rule,
      $.macro_statement,
    ),

    // ---------------------------------------------------------------- macros

    macro_definition: $ => seq(
      field('name', alias($._word, $.macro_name)),
      '=',
      field('value', $.macro_value),
    ),

    macro_value: $ => repeat1(choice($.string, $.macro_reference, $.word)),

    /** A statement that is nothing but a macro (its expansion is the statement). */
    macro_statement: $ => prec(-1, seq($.macro_reference, repeat($._rule_item))),

    /** `$ext_if:network` — pfctl pastes the macro's text, so a modifier may follow it. */
    modified_macro: $ => seq(
      field('macro', $.macro_reference),
      field('modifier', alias(token.immediate(/:[A-Za-z0-9]+/), $.interface_modifier)),
    ),

    macro_reference: _ => token(seq('$', /[A-Za-z_][A-Za-z0-9_]*/)),

    // ---------------------------------------------------------------- tables

    table_definition: $ => seq(
      'table',
      field('name', $.table_reference),
      repeat(choice(
        field('option', $.table_option),
        $.table_file,
        field('addresses', $.table_addresses),
      )),
    ),

    table_option: _ => choice('persist', 'const', 'counters'),

    table_file: $ => seq('file', field('path', choice($.string, $.macro_reference))),

    table_addresses: $ => seq(
      '{',
      repeat(choice($._newline, ',', $._host)),
      '}',
    ),

    /** `<name>`; pfctl also accepts `< name >`. */
    table_reference: $ => seq('<', field('name', alias($._word, $.table_name)), '>'),

    // --------------------------------------------------------------- options

    option: $ => seq(
      'set',
      field('name', alias($._word, $.option_name)),
      repeat(field('value', $._option_value)),
    ),

    // `set timeout { tcp.first 120, udp.first 60 }` uses the ordinary list.
    _option_value: $ => $._value,

    // --------------------------------------------------------- filter rules

    filter_rule: $ => seq(
      field('action', alias(choice(...FILTER_ACTIONS), $.action)),
      repeat($._rule_item),
    ),

    _rule_item: $ => choice(
      $.direction,
      $.log,
      $.interface_spec,
      $.address_family,
      $.protocol_spec,
      $.source,
      $.destination,
      $.flags,
      $.icmp_type,
      $.state_option,
      $.scrub_options,
      $.translation,
      $.route,
      $.divert,
      $.user_spec,
      $.set_option,
      $.value_option,
      $.flag_option,
      $.block_return,
      $.macro_reference,
    ),

    direction: _ => choice('in', 'out'),

    log: $ => prec.right(seq('log', optional($.log_options))),

    log_options: $ => seq('(', commaSep(choice('all', 'matches', 'user', seq('to', $._value))), ')'),

    interface_spec: $ => seq(
      'on',
      optional(seq('rdomain', $._value)),
      optional(field('interface', choice($._value, $.negation))),
    ),

    address_family: _ => choice('inet', 'inet6'),

    protocol_spec: $ => seq('proto', field('protocol', $._value)),

    source: $ => seq(
      'from',
      choice(
        seq(field('host', $._host_spec), optional(field('port', $.port_spec))),
        field('port', $.port_spec),
      ),
    ),

    destination: $ => seq(
      'to',
      choice(
        seq(field('host', $._host_spec), optional(field('port', $.port_spec))),
        field('port', $.port_spec),
      ),
    ),

    _host_spec: $ => choice($._host, alias('any', $.any)),

    port_spec: $ => seq('port', $._port),

    _port: $ => choice(
      $._port_value,
      $.port_range,
      seq(field('operator', $.operator), $._port_value),
    ),

    /** Ports, users and groups: like values, but never tables, so `port < 1024` is an operator. */
    _port_value: $ => choice($.word, $.string, $.macro_reference, $.port_list),

    port_list: $ => seq('{', repeat(choice(
      ',', $._newline, $._port_value, $.port_range, seq(field('operator', $.operator), $._port_value),
    )), '}'),

    port_range: $ => prec.left(PREC.range, seq(
      field('start', $._port_value),
      field('operator', alias(choice('<>', '><'), $.operator)),
      field('end', $._port_value),
    )),

    operator: _ => choice('=', '!=', '<', '<=', '>', '>='),

    /** `flags S/SA` lexes like an address (`word / word`); `flags /SA` and `flags any` too. */
    flags: $ => seq('flags', field('value', choice(
      'any',
      $._value,
      seq('/', $.word),
    ))),

    icmp_type: $ => prec.right(seq(
      choice('icmp-type', 'icmp6-type'),
      field('type', $._value),
      optional(seq('code', field('code', $._value))),
    )),

    state_option: $ => prec.right(choice(
      seq('no', 'state'),
      seq(choice('keep', 'modulate', 'synproxy'), 'state', optional($.option_list)),
    )),

    /** `scrub (no-df max-mss 1440)` inside match rules, or `set prio (1, 2)` etc. */
    scrub_options: $ => seq('scrub', $.option_list),

    option_list: $ => seq('(', repeat(choice(',', $._newline, $._value, '!')), ')'),

    /** OpenBSD translation options inside pass/match rules. */
    translation: $ => prec.right(seq(
      field('kind', choice('nat-to', 'rdr-to', 'binat-to', 'af-to')),
      repeat1(choice(
        field('address_family', $.address_family),
        field('target', $._host),
        seq('port', field('port', $._port)),
        field('pool', $.pool_option),
      )),
    )),

    pool_option: $ => prec.right(choice(
      'bitmask', 'random', 'source-hash', 'round-robin', 'least-states',
      'static-port', 'sticky-address', 'endpoint-independent', seq('source-hash', field('key', $.word)),
      // `map-e-portset psid-offset/psid-len/psid`
      seq('map-e-portset', field('portset', alias(token(/[0-9A-Fa-fx]+\/[0-9A-Fa-fx]+\/[0-9A-Fa-fx]+/), $.word))),
    )),

    route: $ => prec.right(seq(
      field('kind', choice('route-to', 'reply-to', 'dup-to', 'fastroute')),
      optional(field('target', $._host)),
      repeat(field('pool', $.pool_option)),
    )),

    divert: $ => prec.right(seq(
      field('kind', choice('divert-to', 'divert-packet')),
      optional($._host),
      optional(seq('port', $._port)),
    )),

    user_spec: $ => seq(choice('user', 'group'), $._port),

    /** `set prio 3`, `set tos lowdelay`, `set queue (a, b)`, `set delay 10` */
    set_option: $ => prec.right(seq('set', choice('prio', 'tos', 'queue', 'delay'), $._value)),

    value_option: $ => seq(
      optional(field('negated', '!')),
      field('name', alias(choice(...VALUE_OPTIONS), $.keyword)),
      field('value', $._value),
    ),

    /** `block return-rst (ttl 10)`, `block return-icmp (host-unr, 3)` */
    block_return: $ => prec.right(seq(
      field('kind', choice('return', 'return-rst', 'return-icmp', 'return-icmp6')),
      optional($.option_list),
    )),

    flag_option: $ => alias(choice(...FLAG_OPTIONS), $.keyword),

    // --------------------------------------------------------------- anchors

    anchor_rule: $ => prec.right(seq(
      field('kind', choice('anchor', 'nat-anchor', 'rdr-anchor', 'binat-anchor', 'scrub-anchor', 'dummynet-anchor')),
      optional(field('name', choice($.string, $.word, $.macro_reference))),
      repeat($._rule_item),
      optional(field('body', $.anchor_block)),
    )),

    anchor_block: $ => seq(
      '{',
      repeat(choice($._newline, seq($._statement, $._newline))),
      optional($._statement),
      '}',
    ),

    load_anchor: $ => seq(
      'load', 'anchor',
      field('name', choice($.string, $.word, $.macro_reference)),
      'from',
      field('path', choice($.string, $.macro_reference)),
    ),

    include: $ => seq('include', field('path', choice($.string, $.macro_reference))),

    // ---------------------------------------------------------------- queues

    /**
     * OpenBSD: `queue name [on if] [parent p] bandwidth 10M [burst ...] [default] [qlimit n] [flows n]`
     * FreeBSD/macOS altq: `queue name [on if] bandwidth 10% [priority n] [qlimit n] cbq(default) { children }`
     */
    queue_rule: $ => prec.right(seq(
      'queue',
      field('name', choice($.word, $.macro_reference)),
      repeat($._queue_item),
      optional(field('children', $.list)),
    )),

    _queue_item: $ => choice(
      seq('on', field('interface', $._value)),
      seq('parent', field('parent', $._value)),
      seq(field('property', alias(choice('bandwidth', 'burst', 'min', 'max', 'for', 'qlimit', 'flows', 'quantum', 'priority', 'tbrsize'), $.keyword)), $._value),
      alias('default', $.keyword),
      $.scheduler,
      $.macro_reference,
    ),

    scheduler: $ => prec.right(seq(
      field('name', choice('cbq', 'priq', 'hfsc', 'fairq', 'codel')),
      optional($.option_list),
    )),

    /** FreeBSD/macOS: `altq on em0 cbq bandwidth 10Mb queue { std ssh }` */
    altq_rule: $ => prec.right(seq(
      'altq', 'on', field('interface', $._value),
      repeat(choice(
        $.scheduler,
        seq(alias(choice('bandwidth', 'qlimit', 'tbrsize'), $.keyword), $._value),
        seq('queue', field('queues', $._value)),
      )),
    )),

    // ------------------------------------------- old-style translation rules

    /**
     * FreeBSD/macOS: `[no] nat|rdr|binat [pass [log]] on if ... -> target [port p] [pool opts]`
     */
    translation_rule: $ => prec.right(seq(
      optional('no'),
      field('kind', choice('nat', 'rdr', 'binat')),
      optional(alias('pass', $.keyword)),
      repeat($._rule_item),
      optional(seq(
        '->',
        field('redirect', $._host),
        repeat(choice(
          seq('port', field('redirect_port', $._port)),
          field('pool', $.pool_option),
        )),
      )),
    )),

    /** `scrub in on em0 all fragment reassemble` (FreeBSD/macOS; OpenBSD before 4.6) */
    scrub_rule: $ => prec.right(seq(
      optional('no'),
      'scrub',
      repeat(choice($._rule_item, $.option_list, alias($._reassemble_tcp, $.keyword))),
    )),

    _reassemble_tcp: _ => seq('reassemble', 'tcp'),

    antispoof_rule: $ => prec.right(seq(
      'antispoof',
      repeat(choice(
        $.log,
        alias('quick', $.keyword),
        seq('for', field('interface', $._value)),
        $.address_family,
        seq('label', $._value),
        seq('ridentifier', $._value),
      )),
    )),

    /** FreeBSD: `ether pass in on em0 from 00:11:22:33:44:55 to any l3 from ...` */
    ether_rule: $ => prec.right(seq(
      'ether',
      field('action', alias(choice('pass', 'block', 'match'), $.action)),
      repeat($._rule_item),
    )),

    // ---------------------------------------------------------------- values

    /** A host as pfctl's `host` and `xhost`: negation, lists, tables, interfaces, ranges. */
    _host: $ => choice(
      $._value,
      $.address_range,
      $.negation,
    ),

    address_range: $ => prec.left(PREC.range, seq(
      field('start', $._value), '-', field('end', $._value),
    )),

    negation: $ => prec(PREC.negation, seq('!', $._host)),

    /** Any single value; lists are values too, since a macro may hold one. */
    _value: $ => choice(
      $.word,
      $.modified_macro,
      $.address,
      $.string,
      $.macro_reference,
      $.table_reference,
      $.dynamic_address,
      $.list,
      $.route_label,
    ),

    /** `route <label>`, `self`, `egress` are words; `route foo` is a routing label. */
    route_label: $ => seq('route', $._value),

    address: $ => seq(
      field('address', choice($.word, $.macro_reference, $.dynamic_address)),
      '/',
      field('prefix', $.word),
    ),

    /** `(em0)`, `(em0:0)`, `(em0:network)`, `($ext_if)` — tracks the interface's address. */
    dynamic_address: $ => seq('(', commaSep1(choice($.word, $.macro_reference, $.modified_macro, $.address, $.negation)), ')'),

    list: $ => seq('{', repeat(choice(',', $._newline, $._host)), '}'),

    string: _ => token(choice(
      // pfctl lets a quoted string run over several lines (it drops the newlines).
      seq('"', repeat(choice(/[^"\\]/, /\\(.|\n)/)), '"'),
      seq("'", repeat(choice(/[^'\\]/, /\\(.|\n)/)), "'"),
    )),

    word: $ => $._word,

    /** pfctl's STRING: starts with a letter, digit, `_` or `:`, then anything it allows unquoted. */
    _word: _ => /[A-Za-z0-9_:][A-Za-z0-9_:.\-%@+*?]*/,
  },
});

function commaSep1(rule) {
  return seq(rule, repeat(seq(optional(','), rule)));
}

function commaSep(rule) {
  return optional(commaSep1(rule));
}
