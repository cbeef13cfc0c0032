from generator.numbers import counted


def test_one_takes_the_singular_and_large_numbers_are_grouped():
    assert counted(1, "Meldung", "Meldungen") == "1 Meldung"
    assert counted(0, "Meldung", "Meldungen") == "0 Meldungen"
    assert counted(2, "Tag", "Tagen") == "2 Tagen"
    assert counted(212345, "Meldung", "Meldungen") == "212.345 Meldungen"
