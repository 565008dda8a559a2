"""Flow helpers shared by the analyzer's rules: taint of non-deterministic values
(:mod:`.taint`), their sources (:mod:`.sources`), which functions launch tasks
(:mod:`.launch`) and a few cheap facts about values (:mod:`.values`)."""
