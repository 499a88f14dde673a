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
common=(--no-obsolete --ignore 'tests/*' --ignore '*/tests/*')

own_apps=()
for dir in polka/*/locale; do
  app=$(basename "$(dirname "$dir")")
  own_apps+=("$app")
done

if [ $# -gt 0 ]; then
  (cd "polka/$1" && "$POLKA" makemessages "${lang_args[@]}" "${common[@]}" && "$POLKA" compilemessages)
  exit 0
fi
ignore=()
for app in "${own_apps[@]}"; do
  [ "$app" = "polka" ] || ignore+=(--ignore "$app/*")
  [ "$app" = "polka" ] || (cd "polka/$app" && "$POLKA" makemessages "${lang_args[@]}" "${common[@]}" && "$POLKA" compilemessages)
done
(cd polka && "$POLKA" makemessages "${lang_args[@]}" "${common[@]}" "${ignore[@]}" --ignore 'locale/*' && "$POLKA" compilemessages)
