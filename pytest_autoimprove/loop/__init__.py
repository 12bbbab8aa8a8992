"""The keep/discard loop: propose, gate, measure, keep or reset, journal; repeat.

:mod:`.options` is its pytest entry point, :mod:`.run` a whole run (start, resume,
stops), :mod:`.experiment` one experiment, :mod:`.checks` how a tree is judged (the
test gate of :mod:`.gate`, the benchmark), :mod:`.keep` the noise-aware keep rule and
:mod:`.paired` its A/B form, with the best measured in its own worktree
(:mod:`.reference`), :mod:`.journal` the append-only record, :mod:`.interrupts` and
:mod:`.console` the terminal. The loop never imports the code it edits: tests and
benchmark run in fresh subprocesses (:mod:`pytest_autoimprove.process`).
"""
