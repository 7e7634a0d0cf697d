-- raw_users as the raw contract's columns, as text, exact duplicates folded.
{{ deduplicated_raw('raw_users') }}
