from polka.circulation.tests.conftest import desk_a, desk_b, other_reader, reader  # noqa: F401  (fixtures)
