from polka.circulation.tests.conftest import desk_a, desk_b  # noqa: F401  (fixtures)
