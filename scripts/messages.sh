#!/usr/bin/env bash
# Extract and compile translations. An app with its own locale/ folder keeps its own catalogues
# (polka/APP/locale); every other string goes to polka/locale.
#   scripts/messages.sh            all catalogues
#   scripts/messages.sh APP        one app's catalogues only
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
POLKA=$(pwd)/.venv/bin/polka
LANGS=(${LANGS:-en uz tg ky})
lang_args=()
for l in "${LANGS[@]}"; do lang_args+=(-l "$l"); done
common=(--no-obsolete --no-location --ignore 'tests/*' --ignore '*/tests/*')

# A catalogue makemessages just created has a template header: give it the language's plural
# rule (as polka/locale has it) and drop the fuzzy mark, so that it compiles and counts.
fix_headers() {
  local po lang rule
  for po in "$1"/locale/*/LC_MESSAGES/django.po; do
    lang=$(basename "$(dirname "$(dirname "$po")")")
    rule=$(grep -m1 '^"Plural-Forms:' "polka/locale/$lang/LC_MESSAGES/django.po" || true)
    [ -n "$rule" ] && sed -i "s|^\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\\\n\"\$|$rule|" "$po"
    sed -i 's/charset=CHARSET/charset=UTF-8/; s/^"Language: \\n"$/"Language: '"$lang"'\\n"/' "$po"
    sed -i '0,/^#, fuzzy$/{/^#, fuzzy$/d}' "$po"
  done
}

own_apps=()
for dir in polka/*/locale; do
  app=$(basename "$(dirname "$dir")")
  own_apps+=("$app")
done

if [ $# -gt 0 ]; then
  (cd "polka/$1" && "$POLKA" makemessages "${lang_args[@]}" "${common[@]}")
  fix_headers "polka/$1"
  (cd "polka/$1" && "$POLKA" compilemessages)
  exit 0
fi
ignore=()
for app in "${own_apps[@]}"; do
  ignore+=(--ignore "$app/*")
  (cd "polka/$app" && "$POLKA" makemessages "${lang_args[@]}" "${common[@]}")
  fix_headers "polka/$app"
  (cd "polka/$app" && "$POLKA" compilemessages)
done
(cd polka && "$POLKA" makemessages "${lang_args[@]}" "${common[@]}" "${ignore[@]}" --ignore 'locale/*' && "$POLKA" compilemessages)
