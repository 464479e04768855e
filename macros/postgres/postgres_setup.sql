{% macro ice287g_on_run_start() -%}
    {#- Runs before every dbt invocation: engine-specific set-up (nothing on DuckDB). -#}
    {{ return(adapter.dispatch('ice287g_on_run_start')()) }}
{%- endmacro %}

{% macro default__ice287g_on_run_start() -%}
    select 1
{%- endmacro %}

{% macro postgres__ice287g_on_run_start() -%}
    {#- levenshtein() from the (trusted) fuzzystrmatch extension; a Jaro-Winkler similarity that
        returns what DuckDB's jaro_winkler_similarity returns (prefix weight 0.1, up to 4 characters,
        boost only above 0.7; 0 for an empty string), used by name_similarity. -#}
    create extension if not exists fuzzystrmatch;
    create or replace function {{ target.schema }}.ice287g_jaro_winkler(s1 text, s2 text)
    returns double precision language plpgsql immutable strict parallel safe as $fn$
    declare
        l1 integer := char_length(s1);
        l2 integer := char_length(s2);
        c1 text[] := regexp_split_to_array(s1, '');
        c2 text[] := regexp_split_to_array(s2, '');
        f1 boolean[];
        f2 boolean[];
        bound integer;
        n_matches integer := 0;
        n_out_of_order integer := 0;
        k integer := 1;
        n_prefix integer := 0;
        sim double precision;
    begin
        if l1 = 0 or l2 = 0 then
            return 0.0::double precision;
        end if;
        bound := greatest(greatest(l1, l2) / 2 - 1, 0);
        f1 := array_fill(false, array[l1]);
        f2 := array_fill(false, array[l2]);
        for i in 1..l1 loop
            for j in greatest(1, i - bound)..least(l2, i + bound) loop
                if not f2[j] and c1[i] = c2[j] then
                    f1[i] := true;
                    f2[j] := true;
                    n_matches := n_matches + 1;
                    exit;
                end if;
            end loop;
        end loop;
        if n_matches = 0 then
            return 0.0::double precision;
        end if;
        for i in 1..l1 loop
            if f1[i] then
                while not f2[k] loop
                    k := k + 1;
                end loop;
                if c1[i] <> c2[k] then
                    n_out_of_order := n_out_of_order + 1;
                end if;
                k := k + 1;
            end if;
        end loop;
        sim := (
            n_matches::double precision / l1::double precision
            + n_matches::double precision / l2::double precision
            + (n_matches - n_out_of_order / 2)::double precision / n_matches::double precision
        ) / 3.0::double precision;
        if sim > 0.7::double precision then
            while n_prefix < least(4, l1, l2) and c1[n_prefix + 1] = c2[n_prefix + 1] loop
                n_prefix := n_prefix + 1;
            end loop;
            sim := sim + n_prefix::double precision * 0.1::double precision * (1.0::double precision - sim);
        end if;
        return sim;
    end
    $fn$
{%- endmacro %}
