from collections.abc import Sequence

class Scorer:
    def __init__(
        self,
        words: Sequence[str],
        starts: bytes,
        pieces: bytes,
        pair_keys: bytes,
        pair_features: bytes,
        gram_keys: bytes,
        gram_features: bytes,
        han_keys: bytes,
        han_features: bytes,
        idf: bytes,
        coef: bytes,
    ) -> None: ...
    def sums(self, normalised: str, /) -> tuple[float, float]: ...
