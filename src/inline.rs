//! [`Inline2`]: a short list of `Copy` items kept in place up to two, on the heap beyond,
//! read as a slice. A detection's content pieces and a linked claim's chain of hops are one
//! or two in nearly every case, and a Vec for each would be an allocation per detection.

/// Up to two items in place, more on the heap; reads as a slice of them.
#[derive(Clone)]
pub struct Inline2<T>(Repr<T>);

#[derive(Clone)]
enum Repr<T> {
    /// The first `n` (at most 2) are used.
    Inline(u8, [T; 2]),
    Heap(Vec<T>),
}

impl<T: Copy + Default> Default for Inline2<T> {
    fn default() -> Self {
        Inline2(Repr::Inline(0, [T::default(); 2]))
    }
}

impl<T: Copy + Default> Inline2<T> {
    /// A list of one item.
    pub fn one(x: T) -> Self {
        Inline2(Repr::Inline(1, [x, T::default()]))
    }

    /// A list of the given items.
    pub fn from_slice(xs: &[T]) -> Self {
        let mut list = Self::default();
        list.extend(xs.iter().copied());
        list
    }

    pub fn push(&mut self, x: T) {
        match &mut self.0 {
            Repr::Inline(n, items) if usize::from(*n) < items.len() => {
                items[usize::from(*n)] = x;
                *n += 1;
            }
            Repr::Inline(_, items) => {
                let mut v = Vec::with_capacity(2 * items.len());
                v.extend_from_slice(items);
                v.push(x);
                self.0 = Repr::Heap(v);
            }
            Repr::Heap(v) => v.push(x),
        }
    }
}

impl<T> std::ops::Deref for Inline2<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match &self.0 {
            Repr::Inline(n, items) => items.get(..usize::from(*n)).unwrap_or(&[]),
            Repr::Heap(v) => v,
        }
    }
}

impl<T: Copy + Default> Extend<T> for Inline2<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for x in iter {
            self.push(x);
        }
    }
}

impl<'c, T> IntoIterator for &'c Inline2<T> {
    type Item = &'c T;
    type IntoIter = std::slice::Iter<'c, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Written as the slice it holds, as the Vec it replaces was.
impl<T: std::fmt::Debug> std::fmt::Debug for Inline2<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::Inline2;

    #[test]
    fn reads_as_the_vec_of_the_items_pushed() {
        let mut list = Inline2::default();
        let mut reference: Vec<(usize, usize)> = Vec::new();
        assert_eq!(&*list, reference.as_slice());
        // in place, then moved to the heap, then pushed to there
        for b in [(0, 4), (6, 9), (12, 20), (21, 30), (31, 40)] {
            list.push(b);
            reference.push(b);
            assert_eq!(&*list, reference.as_slice());
            assert_eq!(format!("{list:?}"), format!("{reference:?}"));
            assert_eq!((&list).into_iter().count(), reference.len());
            assert_eq!(&*Inline2::from_slice(&list), reference.as_slice());
        }
        let mut one = Inline2::one((3, 5));
        one.extend(list.iter().copied());
        let mut joined = vec![(3, 5)];
        joined.extend(reference);
        assert_eq!(&*one, joined.as_slice());
    }
}
