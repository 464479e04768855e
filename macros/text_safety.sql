{#-
    Printed text that would rewrite a terminal or a spreadsheet (issue 12). Raw keeps every value as
    printed; staging strips control characters from cleaned values (`clean_text`) and shows them as
    visible symbols in `*_printed` values (`printable_text`). Formula prefixes (=, +, -, @, tab, CR) are
    neutralised only in CSV exports (ingest/export_safety.py); these macros list them for review.
    Portable SQL: regexp_replace with the 'g' flag, translate and chr behave the same on DuckDB and
    PostgreSQL (where text cannot hold NUL at all).
-#}

{% macro strip_control_characters(expr) -%}
    {#- ANSI escape sequences (CSI `ESC [ ... m`, OSC `ESC ] ... BEL`, two-byte `ESC x`) removed, then every
        other C0/C1 control character except tab, line feed and carriage return. -#}
    regexp_replace(
        regexp_replace(
            {{ expr }},
            '\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])', '', 'g'
        ),
        '[{{ first_control_character() }}-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]', '', 'g'
    )
{%- endmacro %}

{% macro first_control_character() -%}
    {#- NUL (\x00) in a regex class; on PostgreSQL, where text cannot hold NUL at all (chr(0) is an
        error there), the class starts at \x01. -#}
    {{- '\\x01' if target.type == 'postgres' else '\\x00' -}}
{%- endmacro %}

{% macro control_character_codes() -%}
    {#- C0 controls except tab, LF, CR, plus DEL; NUL only where text can hold it (not PostgreSQL). -#}
    {%- set first = 1 if target.type == 'postgres' else 0 -%}
    {{ return(range(first, 9) | list + [11, 12] + range(14, 32) | list + [127]) }}
{%- endmacro %}

{% macro printable_text(expr) -%}
    {#- Control characters as visible Unicode control pictures (NUL -> U+2400, ESC -> U+241B, DEL ->
        U+2421), C1 controls as U+FFFD; tab, line feed and carriage return kept as printed. Only a value
        that holds one is translated: translate() with a 61-character map costs ~4 us a value on DuckDB,
        the test before it a tenth of that, and almost no printed value has a control character. -#}
    {%- set codes = control_character_codes() -%}
    case
        when {{ has_control_characters(expr) }}
            then translate(
                {{ expr }},
                {% for c in codes %}chr({{ c }}){% if not loop.last %} || {% endif %}{% endfor %}
                {%- for c in range(128, 160) %} || chr({{ c }}){% endfor %},
                {% for c in codes %}chr({{ 9249 if c == 127 else 9216 + c }}){% if not loop.last %} || {% endif %}{% endfor %}
                {%- for c in range(128, 160) %} || chr(65533){% endfor %}
            )
        else {{ expr }}
    end
{%- endmacro %}

{% macro has_control_characters(expr) -%}
    {#- True when the text holds a C0/C1 control character other than tab, line feed, carriage return. -#}
    ({{ expr }} <> regexp_replace({{ expr }}, '[{{ first_control_character() }}-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]', '', 'g'))
{%- endmacro %}

{% macro has_formula_prefix(expr) -%}
    {#- True when a spreadsheet would read the text as a formula (the CSV exports neutralise it). -#}
    ({{ expr }} <> regexp_replace({{ expr }}, '^[=+\-@\t\r\n＝＋－＠]', ''))
{%- endmacro %}

{% macro has_control_pictures(expr) -%}
    {#- True when `printable_text` replaced a control character in this printed value. -#}
    ({{ expr }} <> regexp_replace({{ expr }}, '[␀-␡�]', '', 'g'))
{%- endmacro %}
