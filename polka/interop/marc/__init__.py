"""MARC codecs (ISO 2709, MARCXML, MARC-in-JSON; MARC21 and RUSMARC/UNIMARC). No Django here."""
