"""A local Zebra (Debian's idzebra-2.0) loaded with MARCXML records, serving SRU and Z39.50 on
one loopback port: the reference server of bench/protocols.py and the remote catalogue of the
copy-cataloguing tests. Not used by the running site."""

from __future__ import annotations

import gzip
import shutil
import socket
import subprocess
import time
from pathlib import Path

EXAMPLE = Path("/usr/share/doc/idzebra-2.0/examples/marcxml")
DOM = """<dom>
  <extract name="index"><xslt stylesheet="MARC21slim2INDEX.xsl"/></extract>
  <retrieve name="marc"><xslt stylesheet="identity.xsl"/></retrieve>
  <input syntax="xml"><xmlreader level="1"/></input>
</dom>
"""
CFG = """profilePath: .:/usr/share/idzebra-2.0/tab
modulePath: /usr/lib/x86_64-linux-gnu/idzebra-2.0/modules:/usr/lib/idzebra-2.0/modules
recordtype: dom.dom-config.xml
attset: bib1.att
attset: explain.att
index: icu.idx
encoding: utf-8
register: reg:40G
"""
# MARCXML for SRU; MARC21 (ISO 2709, UTF-8) for Z39.50 clients that ask for USMARC.
GFS = """<yazgfs>
  <listen id="z">tcp:127.0.0.1:{port}</listen>
  <server id="main" listenref="z">
    <config>zebra.cfg</config>
    <cql2rpn>/usr/share/yaz/etc/pqf.properties</cql2rpn>
    <retrievalinfo>
      <retrieval syntax="xml" name="marcxml"><backend syntax="xml" name="marc"/></retrieval>
      <retrieval syntax="usmarc">
        <backend syntax="xml" name="marc">
          <marc inputformat="xml" outputformat="marc" inputcharset="utf-8" outputcharset="utf-8"/>
        </backend>
      </retrieval>
    </retrievalinfo>
  </server>
</yazgfs>
"""
MISSING = (
    "Zebra is not installed "
    "(apt-get install idzebra-2.0 libidzebra-2.0-mod-dom idzebra-2.0-examples)"
)


def zebra_installed() -> bool:
    return bool(shutil.which("zebrasrv") and shutil.which("zebraidx") and EXAMPLE.is_dir())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def zebra_start(folder: Path, records: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Index `records` (a MARCXML collection) in `folder` and start zebrasrv on a free port;
    the caller stops the process. SRU's database is /Default, Z39.50's is Default."""
    (folder / "reg").mkdir(parents=True)
    for name in ("MARC21slim2INDEX.xsl", "MARC21slimUtils.xsl"):
        (folder / name).write_bytes(gzip.decompress((EXAMPLE / f"{name}.gz").read_bytes()))
    shutil.copy(EXAMPLE / "identity.xsl", folder)
    (folder / "dom-config.xml").write_text(DOM)
    (folder / "zebra.cfg").write_text(CFG)
    port = free_port()
    (folder / "yazgfs.xml").write_text(GFS.format(port=port))
    quiet = {"cwd": folder, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(["zebraidx", "-c", "zebra.cfg", "init"], check=True, **quiet)  # type: ignore[call-overload]
    subprocess.run(["zebraidx", "-c", "zebra.cfg", "update", str(records)], check=True, **quiet)  # type: ignore[call-overload]
    server = subprocess.Popen(["zebrasrv", "-f", "yazgfs.xml"], **quiet)  # type: ignore[call-overload]
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("Zebra did not start")
