from polka.catalog.mapping.isbn import normalise_isbn, normalise_issn


def test_isbn10_with_hyphens_becomes_isbn13_without_them():
    assert normalise_isbn("5-7443-0043-0") == "9785744300432"


def test_isbn10_ending_in_x_check_digit_is_valid():
    assert normalise_isbn("0-8044-2957-X") == "9780804429573"
    assert normalise_isbn("080442957x") == "9780804429573"


def test_isbn_with_spaces_and_a_qualifier_is_read():
    assert normalise_isbn("0553268473 (pbk.) :") == "9780553268478"
    assert normalise_isbn("978 5 93093 342 0 (в пер.)") == "9785930933420"


def test_isbn13_with_979_prefix_is_kept_as_is():
    assert normalise_isbn("979-10-90636-07-1") == "9791090636071"


def test_wrong_check_digit_is_rejected():
    assert normalise_isbn("5-7443-0043-1") is None
    assert normalise_isbn("9785744300431") is None


def test_ean_that_is_not_a_book_number_is_rejected():
    assert normalise_isbn("8901452100503") is None


def test_garbage_is_rejected():
    assert normalise_isbn("HL00361126 :") is None
    assert normalise_isbn("089542262X295") is None
    assert normalise_isbn("") is None


def test_issn_is_validated_and_hyphenated():
    assert normalise_issn("0317-8471") == "0317-8471"
    assert normalise_issn("2434561X") == "2434-561X"
    assert normalise_issn("0317-8472") is None
