"""Fixtures for the extractor tests, scoped by cost: one spaCy pipeline and gazetteer per session."""

from __future__ import annotations

import pytest
from spacy.language import Language

import kg.gazetteer
import kg.nlp
from kg.gazetteer import Gazetteer


@pytest.fixture(scope="session")
def nlp() -> Language:
    return kg.nlp.load_pipeline()


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return kg.gazetteer.load()
