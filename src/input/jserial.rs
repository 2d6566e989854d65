//! The end of one Java serialization stream, for a JCEKS secret-key entry: JCEKS
//! stores that entry as a serialized `SealedObjectForKeyProtector` with no length in
//! front, so the entries after it can only be found by walking the stream's grammar
//! (Java Object Serialization Specification, §6.4) to its end. Nothing is kept or
//! decoded beyond what finding the end needs: the entry is a secret key.
//!
//! Bounded: every step consumes input, nesting is limited to [`MAX_DEPTH`], and an
//! element count can never skip more bytes than are left.

/// How deeply objects may nest.
const MAX_DEPTH: usize = 32;
const MAGIC: [u8; 4] = [0xAC, 0xED, 0x00, 0x05];
const BASE_HANDLE: u32 = 0x7E_0000;

const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_ARRAY: u8 = 0x75;
const TC_CLASS: u8 = 0x76;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_RESET: u8 = 0x79;
const TC_BLOCKDATALONG: u8 = 0x7A;
const TC_LONGSTRING: u8 = 0x7C;
const TC_PROXYCLASSDESC: u8 = 0x7D;
const TC_ENUM: u8 = 0x7E;

const SC_WRITE_METHOD: u8 = 0x01;
const SC_SERIALIZABLE: u8 = 0x02;
const SC_EXTERNALIZABLE: u8 = 0x04;
const SC_BLOCK_DATA: u8 = 0x08;

/// The offset just after the serialization stream (magic and one object) that starts
/// at `at`; `None` when it is not one certaudit can walk.
pub fn skip(bytes: &[u8], at: usize) -> Option<usize> {
    let mut w = Walker {
        bytes,
        at,
        handles: Vec::new(),
        classes: Vec::new(),
        depth: 0,
    };
    (w.take(4)? == MAGIC).then_some(())?;
    w.content()?;
    Some(w.at)
}

struct Class {
    /// The second character of an array class's name (`[B` → `B`), else 0.
    element: u8,
    flags: u8,
    /// Type codes of the serializable fields, in order.
    fields: Vec<u8>,
    superclass: Option<usize>,
}

struct Walker<'a> {
    bytes: &'a [u8],
    at: usize,
    /// What each handle names: a class (index into `classes`) or something else.
    handles: Vec<Option<usize>>,
    classes: Vec<Class>,
    depth: usize,
}

impl Walker<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(out)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2)?.try_into().ok().map(u16::from_be_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_be_bytes)
    }
    fn utf(&mut self) -> Option<&[u8]> {
        let n = usize::from(self.u16()?);
        self.take(n)
    }

    /// A reference's handle → what it names.
    fn reference(&mut self) -> Option<Option<usize>> {
        let h = self.u32()?.checked_sub(BASE_HANDLE)?;
        self.handles.get(usize::try_from(h).ok()?).copied()
    }

    /// One object of any kind; for a class descriptor, its index.
    fn content(&mut self) -> Option<Option<usize>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let tag = loop {
            match self.u8()? {
                TC_RESET => self.handles.clear(),
                t => break t,
            }
        };
        let out = match tag {
            TC_NULL => None,
            TC_REFERENCE => self.reference()?,
            TC_CLASSDESC | TC_PROXYCLASSDESC => {
                self.at -= 1;
                self.class_desc()?
            }
            TC_STRING => {
                self.handles.push(None);
                self.utf()?;
                None
            }
            TC_LONGSTRING => {
                self.handles.push(None);
                let n = self.take(8)?.try_into().ok().map(u64::from_be_bytes)?;
                self.take(usize::try_from(n).ok()?)?;
                None
            }
            TC_OBJECT => {
                let class = self.class_desc()??;
                self.handles.push(None);
                self.class_data(class)?;
                None
            }
            TC_ARRAY => {
                let class = self.class_desc()??;
                self.handles.push(None);
                let n = usize::try_from(self.u32()?).ok()?;
                let element = self.classes.get(class)?.element;
                match primitive_size(element) {
                    Some(size) => {
                        self.take(n.checked_mul(size)?)?;
                    }
                    None => {
                        for _ in 0..n {
                            self.content()?;
                        }
                    }
                }
                None
            }
            TC_CLASS => {
                self.class_desc()?;
                self.handles.push(None);
                None
            }
            TC_ENUM => {
                self.class_desc()?;
                self.handles.push(None);
                self.content()?; // the constant's name
                None
            }
            _ => return None,
        };
        self.depth -= 1;
        Some(out)
    }

    /// A class descriptor (or null, or a reference to one): its index.
    fn class_desc(&mut self) -> Option<Option<usize>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let out = self.class_desc_inner();
        self.depth -= 1;
        out
    }

    fn class_desc_inner(&mut self) -> Option<Option<usize>> {
        match self.u8()? {
            TC_NULL => Some(None),
            TC_REFERENCE => self.reference(),
            TC_CLASSDESC => {
                let name = self.utf()?;
                let element = match name {
                    [b'[', e, ..] => *e,
                    _ => 0,
                };
                self.take(8)?; // serialVersionUID
                let handle = self.handles.len();
                self.handles.push(None);
                let flags = self.u8()?;
                let count = self.u16()?;
                let mut fields = Vec::new();
                for _ in 0..count {
                    let code = self.u8()?;
                    self.utf()?;
                    if matches!(code, b'[' | b'L') {
                        self.content()?; // the field's class name, a String
                    }
                    fields.push(code);
                }
                self.annotation()?;
                let superclass = self.class_desc()?;
                let index = self.classes.len();
                self.classes.push(Class {
                    element,
                    flags,
                    fields,
                    superclass,
                });
                if let Some(h) = self.handles.get_mut(handle) {
                    *h = Some(index);
                }
                Some(Some(index))
            }
            TC_PROXYCLASSDESC => {
                let handle = self.handles.len();
                self.handles.push(None);
                let n = self.u32()?;
                for _ in 0..n {
                    self.utf()?;
                }
                self.annotation()?;
                let superclass = self.class_desc()?;
                let index = self.classes.len();
                self.classes.push(Class {
                    element: 0,
                    flags: SC_SERIALIZABLE,
                    fields: Vec::new(),
                    superclass,
                });
                if let Some(h) = self.handles.get_mut(handle) {
                    *h = Some(index);
                }
                Some(Some(index))
            }
            _ => None,
        }
    }

    /// Block data and objects up to `TC_ENDBLOCKDATA`.
    fn annotation(&mut self) -> Option<()> {
        loop {
            match self.peek()? {
                TC_ENDBLOCKDATA => {
                    self.at += 1;
                    return Some(());
                }
                TC_BLOCKDATA => {
                    self.at += 1;
                    let n = usize::from(self.u8()?);
                    self.take(n)?;
                }
                TC_BLOCKDATALONG => {
                    self.at += 1;
                    let n = usize::try_from(self.u32()?).ok()?;
                    self.take(n)?;
                }
                _ => {
                    self.content()?;
                }
            }
        }
    }

    /// The field values of an object of `class`, most general class first.
    fn class_data(&mut self, class: usize) -> Option<()> {
        let mut chain = Vec::new();
        let mut next = Some(class);
        while let Some(c) = next {
            if chain.len() > MAX_DEPTH || chain.contains(&c) {
                return None;
            }
            chain.push(c);
            next = self.classes.get(c)?.superclass;
        }
        for &c in chain.iter().rev() {
            let (flags, fields) = {
                let class = self.classes.get(c)?;
                (class.flags, class.fields.clone())
            };
            if flags & SC_EXTERNALIZABLE != 0 {
                if flags & SC_BLOCK_DATA == 0 {
                    return None;
                }
                self.annotation()?;
                continue;
            }
            if flags & SC_SERIALIZABLE != 0 {
                for code in fields {
                    match primitive_size(code) {
                        Some(size) => {
                            self.take(size)?;
                        }
                        None if matches!(code, b'[' | b'L') => {
                            self.content()?;
                        }
                        None => return None,
                    }
                }
                if flags & SC_WRITE_METHOD != 0 {
                    self.annotation()?;
                }
            }
        }
        Some(())
    }
}

/// The size of a primitive type code's value.
fn primitive_size(code: u8) -> Option<usize> {
    match code {
        b'B' | b'Z' => Some(1),
        b'C' | b'S' => Some(2),
        b'I' | b'F' => Some(4),
        b'J' | b'D' => Some(8),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_a_stream_of_nested_objects_and_arrays() {
        // new Object[]{ "ab", new byte[]{1,2} } followed by a marker byte.
        let mut s = MAGIC.to_vec();
        s.extend([TC_ARRAY, TC_CLASSDESC]);
        s.extend(19u16.to_be_bytes());
        s.extend(b"[Ljava.lang.Object;");
        s.extend([0; 8]);
        s.extend([SC_SERIALIZABLE, 0, 0, TC_ENDBLOCKDATA, TC_NULL]);
        s.extend(2u32.to_be_bytes());
        s.extend([TC_STRING, 0, 2, b'a', b'b']);
        s.extend([TC_ARRAY, TC_CLASSDESC, 0, 2, b'[', b'B']);
        s.extend([0; 8]);
        s.extend([SC_SERIALIZABLE, 0, 0, TC_ENDBLOCKDATA, TC_NULL]);
        s.extend(2u32.to_be_bytes());
        s.extend([1, 2]);
        let end = s.len();
        s.push(0xEE);
        assert_eq!(skip(&s, 0), Some(end));
        for cut in 0..end {
            assert_eq!(skip(&s[..cut], 0), None);
        }
    }

    #[test]
    fn hostile_streams_end_in_none() {
        let mut deep = MAGIC.to_vec();
        deep.extend(std::iter::repeat_n(TC_RESET, 10_000));
        assert_eq!(skip(&deep, 0), None);
        let mut refs = MAGIC.to_vec();
        refs.extend([TC_REFERENCE, 0xFF, 0xFF, 0xFF, 0xFF]);
        assert_eq!(skip(&refs, 0), None);
        assert_eq!(skip(b"\xac\xed\x00\x05", 0), None);
    }
}
