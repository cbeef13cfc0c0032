"""Photos: a stage of their own beside the text.

read: :mod:`.refs` takes the ``image:`` mapping and the body's figures from an article,
:mod:`.sources` finds and checks the files (path:line for every problem); derive:
:mod:`.variants` plans the files each photo is published as, named by source hash and
parameters; write: :mod:`.encode` makes them and :mod:`.publish` offers them to the
publisher, on all cores, only when a source or the image settings changed.
"""
