//! [`Phrases`]: which of a fixed list of phrases a text contains, found in one pass over the
//! text (an Aho–Corasick automaton over bytes). Carriers map their free-text movement wordings
//! to statuses with ordered phrase lists ("the first phrase of the list found in the folded text
//! wins"); this answers that question with one table step per byte instead of a search per
//! phrase.
//!
//! ```
//! use kargojet_carrier_common::phrases::Phrases;
//!
//! let p = Phrases::new(&["teslim edilemedi", "teslim edildi", "iade"]);
//! assert_eq!(p.first_in(b"alici adreste yok teslim edilemedi"), Some(0));
//! assert_eq!(p.first_in(b"iade teslim edildi"), Some(1));
//! assert_eq!(p.first_in(b"yolda"), None);
//! ```

/// No phrase ends here.
const NONE: u16 = u16::MAX;

/// An ordered list of byte-string phrases compiled for one-pass search.
#[derive(Debug, Clone)]
pub struct Phrases {
    /// Byte → column of `next` (bytes in no phrase share the last column).
    class: [u8; 256],
    /// Number of columns.
    width: usize,
    /// Transition table: `next[state * width + class]`.
    next: Vec<u16>,
    /// Lowest phrase index ending at each state (its own or a suffix's), or [`NONE`].
    first: Vec<u16>,
    /// `next` and `first` of the next state in one entry: the next state in the low half, the
    /// lowest phrase index ending there in the high half ([`NONE`], above every index, for none).
    packed: Vec<u32>,
}

impl Phrases {
    /// Compiles `phrases` (their order is their priority). At most 65 534 phrases and states.
    pub fn new(phrases: &[&str]) -> Self {
        let mut class = [0u8; 256];
        let mut used = [false; 256];
        for p in phrases {
            for &b in p.as_bytes() {
                used[usize::from(b)] = true;
            }
        }
        let mut width = 0usize;
        for (b, u) in used.iter().enumerate() {
            if *u && width < 255 {
                class[b] = width as u8;
                width += 1;
            }
        }
        let other = width.min(255);
        for (b, u) in used.iter().enumerate() {
            if !*u {
                class[b] = other as u8;
            }
        }
        let width = other + 1;
        let limit = usize::from(NONE);
        // The trie: `next` holds children (NONE for none), `first` the phrase ending there.
        let mut next = vec![NONE; width];
        let mut first = vec![NONE];
        for (i, p) in phrases.iter().enumerate().take(limit) {
            let mut state = 0usize;
            let mut complete = true;
            for &b in p.as_bytes() {
                let c = usize::from(class[usize::from(b)]);
                let child = next[state * width + c];
                state = if child == NONE {
                    let new = first.len();
                    if new >= limit {
                        // Out of states: this phrase (and the rest) cannot be matched.
                        complete = false;
                        break;
                    }
                    next[state * width + c] = new as u16;
                    next.extend(std::iter::repeat_n(NONE, width));
                    first.push(NONE);
                    new
                } else {
                    usize::from(child)
                };
            }
            if !complete {
                break;
            }
            let i = i as u16;
            if first[state] == NONE || i < first[state] {
                first[state] = i;
            }
        }
        // Failure links, breadth first; missing transitions borrow the failure state's.
        let states = first.len();
        let mut fail = vec![0usize; states];
        let mut queue = std::collections::VecDeque::with_capacity(states);
        for slot in next.iter_mut().take(width) {
            let child = *slot;
            if child == NONE {
                *slot = 0;
            } else {
                fail[usize::from(child)] = 0;
                queue.push_back(usize::from(child));
            }
        }
        while let Some(u) = queue.pop_front() {
            let f = fail[u];
            if first[f] != NONE && (first[u] == NONE || first[f] < first[u]) {
                first[u] = first[f];
            }
            for c in 0..width {
                let child = next[u * width + c];
                let via_fail = next[f * width + c];
                if child == NONE {
                    next[u * width + c] = via_fail;
                } else {
                    fail[usize::from(child)] = usize::from(via_fail);
                    queue.push_back(usize::from(child));
                }
            }
        }
        let packed = next
            .iter()
            .map(|&n| {
                let ends = first.get(usize::from(n)).copied().unwrap_or(NONE);
                u32::from(n) | (u32::from(ends) << 16)
            })
            .collect();
        Phrases {
            class,
            width,
            next,
            first,
            packed,
        }
    }

    /// The state before any byte.
    pub const START: u16 = 0;

    /// The state after `byte`.
    #[inline(always)]
    pub fn step(&self, state: u16, byte: u8) -> u16 {
        let c = usize::from(self.class[usize::from(byte)]);
        self.next
            .get(usize::from(state) * self.width + c)
            .copied()
            .unwrap_or(0)
    }

    /// The lowest index of a phrase that ends at `state`, if any.
    #[inline(always)]
    pub fn ends_at(&self, state: u16) -> Option<usize> {
        match self.first.get(usize::from(state)) {
            Some(&i) if i != NONE => Some(usize::from(i)),
            _ => None,
        }
    }

    /// The lowest index of the phrases found anywhere in `hay`.
    pub fn first_in(&self, hay: &[u8]) -> Option<usize> {
        let mut search = Search::new(self);
        for &b in hay {
            search.push(b);
            if search.is_first_found() {
                break;
            }
        }
        search.found()
    }
}

/// A search fed one byte at a time (for texts folded on the fly).
#[derive(Debug, Clone, Copy)]
pub struct Search<'p> {
    phrases: &'p Phrases,
    state: u32,
    /// Lowest phrase index found so far, [`NONE`] for none.
    best: u32,
}

impl<'p> Search<'p> {
    /// A search at the start of a text.
    pub fn new(phrases: &'p Phrases) -> Self {
        Search {
            phrases,
            state: u32::from(Phrases::START),
            best: phrases
                .ends_at(Phrases::START)
                .map_or(u32::from(NONE), |i| i as u32),
        }
    }

    /// Feeds one byte: one table step.
    #[inline(always)]
    pub fn push(&mut self, byte: u8) {
        let p = self.phrases;
        let c = usize::from(p.class[usize::from(byte)]);
        let e = p
            .packed
            .get(self.state as usize * p.width + c)
            .copied()
            .unwrap_or(u32::from(NONE) << 16);
        self.state = e & 0xffff;
        self.best = self.best.min(e >> 16);
    }

    /// True once the first phrase of the list is found (nothing can beat it).
    #[inline(always)]
    pub fn is_first_found(&self) -> bool {
        self.best == 0
    }

    /// The lowest phrase index found.
    pub fn found(&self) -> Option<usize> {
        (self.best != u32::from(NONE)).then_some(self.best as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(phrases: &[&str], hay: &str) -> Option<usize> {
        phrases.iter().position(|p| hay.contains(p))
    }

    #[test]
    fn agrees_with_a_search_per_phrase() {
        let phrases = [
            "teslim edilemedi",
            "teslim edilmedi",
            "gondericiye teslim",
            "iade teslim",
            "iade",
            "teslim edildi",
            "dagitima cikarildi",
            "dagitimda",
            "kuryede",
            "varis subesine",
            "teslimat birimi",
            "teslimat subesi",
            "transfer merkez",
            "yola cikti",
            "sevk edildi",
            "kargo kabul",
            "kabul edildi",
            "iptal",
            "a",
            "aa",
            "abab",
        ];
        let p = Phrases::new(&phrases);
        let texts = [
            "",
            "kargo kabul edildi",
            "transfer merkezine ulasti",
            "teslim edildi iade teslim",
            "xiptaly sevk edildi",
            "teslimat subesi teslim edilmedi",
            "gondericiye teslim edildi",
            "teslim edilemedi",
            "tttteslim edildi",
            "ababab",
            "bbb",
            "b a",
            "dagitimdagitima cikarildi",
            "kabukabul edildi",
        ];
        for t in texts {
            assert_eq!(p.first_in(t.as_bytes()), naive(&phrases, t), "{t:?}");
            // Without the one-letter phrases, the rest still agree.
            let q = Phrases::new(&phrases[..18]);
            assert_eq!(q.first_in(t.as_bytes()), naive(&phrases[..18], t), "{t:?}");
        }
        // Every substring of a text made of the phrases' letters.
        let hay = "teslim edilemedi iade teslimat subesi kargo kabul edildi";
        for a in 0..hay.len() {
            for b in a..=hay.len() {
                let t = &hay[a..b];
                assert_eq!(p.first_in(t.as_bytes()), naive(&phrases, t), "{t:?}");
            }
        }
    }

    #[test]
    fn edge_cases() {
        assert_eq!(Phrases::new(&[]).first_in(b"abc"), None);
        assert_eq!(Phrases::new(&["", "x"]).first_in(b""), Some(0));
        assert_eq!(Phrases::new(&["x", "x"]).first_in(b"axb"), Some(0));
        assert_eq!(Phrases::new(&["ş"]).first_in("aşk".as_bytes()), Some(0));
        assert_eq!(
            Phrases::new(&["ab"]).first_in(&[0xff, b'a', b'b', 0]),
            Some(0)
        );
    }
}
