"""Z39.50 in front of the SRU server through Debian's simple2zoom gateway (Index Data's
Net::Z3950::Simple2ZOOM): Bib-1 use attributes map to our CQL indexes, records come back as
USMARC (converted from MARCXML by YAZ's retrieval rules), as RUSMARC / UNIMARC (ISO 2709 from
the SRU `rusmarc` schema: RUSMARC records only) or as MARCXML. No BER of our own.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

DATABASE = "polka"
DEFAULT_PORT = 2100
# Bib-1 use attribute → CQL index (no index: the server's choice, i.e. any field).
BIB1_INDEXES: dict[int, str | None] = {
    4: "dc.title",  # title
    1003: "dc.creator",  # author
    1004: "dc.creator",  # personal name
    21: "dc.subject",  # subject heading
    7: "bath.isbn",  # ISBN
    31: "dc.date",  # date of publication
    12: "rec.id",  # local number
    1016: None,  # any
    1035: None,  # anywhere
}


class GatewayMissing(RuntimeError):
    """simple2zoom is not installed."""


@dataclass(frozen=True)
class GatewayFiles:
    client: Path  # simple2zoom's own configuration: the SRU target and the index map
    server: Path  # YAZ front-end server configuration: listener and record conversions


def _client_xml(sru_url: str) -> str:
    maps = "\n".join(
        f'      <map use="{use}"><index>{escape(index)}</index></map>'
        if index
        else f'      <map use="{use}"/>'
        for use, index in BIB1_INDEXES.items()
    )
    return f"""<client>
  <database name="{DATABASE}">
    <zurl>{escape(sru_url)}</zurl>
    <option name="sru">get</option>
    <option name="sru_version">1.2</option>
    <charset>utf-8</charset>
    <search>
      <querytype>cql</querytype>
{maps}
    </search>
  </database>
</client>
"""


def _server_xml(host: str, port: int) -> str:
    listen = quoteattr(f"tcp:{host}:{port}")[1:-1]
    return f"""<yazgfs>
  <listen id="z">{listen}</listen>
  <server id="polka" listenref="z">
    <retrievalinfo>
      <retrieval syntax="usmarc">
        <backend syntax="xml" name="marcxml">
          <marc inputformat="xml" outputformat="marc" inputcharset="utf-8" outputcharset="utf-8"/>
        </backend>
      </retrieval>
      <retrieval syntax="xml" name="marcxml"/>
      <retrieval syntax="rusmarc">
        <backend syntax="xml" name="rusmarc">
          <marc inputformat="xml" outputformat="marc" inputcharset="utf-8" outputcharset="utf-8"/>
        </backend>
      </retrieval>
      <retrieval syntax="unimarc">
        <backend syntax="xml" name="rusmarc">
          <marc inputformat="xml" outputformat="marc" inputcharset="utf-8" outputcharset="utf-8"/>
        </backend>
      </retrieval>
    </retrievalinfo>
  </server>
</yazgfs>
"""


def gateway_files(*, folder: Path, sru_url: str, host: str, port: int) -> GatewayFiles:
    folder.mkdir(parents=True, exist_ok=True)
    files = GatewayFiles(folder / "simple2zoom.xml", folder / "yazgfs.xml")
    files.client.write_text(_client_xml(sru_url), encoding="utf-8")
    files.server.write_text(_server_xml(host, port), encoding="utf-8")
    return files


def gateway_command(files: GatewayFiles, *, log: Path | None = None) -> list[str]:
    program = shutil.which("simple2zoom")
    if program is None:
        raise GatewayMissing("simple2zoom")
    command = [program, "-c", str(files.client), "--", "-f", str(files.server)]
    if log is not None:
        command += ["-l", str(log)]
    return command
