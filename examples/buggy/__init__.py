"""Programs with deliberate, realistic Flyte 2 mistakes, for ``flytec check``.

Every bug is marked with a ``BUG(<rule-hint>): <why>`` comment on the line a finding should
point at (the call for call-site bugs, the ``def`` line for definition bugs,
the offending argument for configuration bugs). Lines marked ``# OK:`` are the
correct versions and must not be flagged. All modules here import cleanly
(except ``oom.py``, which needs pandas); mistakes that the SDK rejects at
import/decoration time live one per file in ``import_errors/``.
"""
