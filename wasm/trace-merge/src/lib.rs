//! The hot loop of footprint's execution-trace reader, built to WebAssembly.
//!
//! It decodes the event batches of one generation, one cursor per M, merges
//! them by time and tracks which goroutine and P each M runs, then hands the
//! events to JavaScript 4096 at a time, a row of floats each. It is a transcription of
//! `src/formats/trace/cursor.ts` and `mergeEvents` in `events.ts`, which stay
//! the reference: the tests run both on every committed trace and on fuzzed
//! input and require the same events, errors and counts. Every number is an
//! f64 computed in the same order as there, so times agree to the bit.
//!
//! The format (batches, varints, timestamp deltas) is Go's trace v2, as
//! `$GOROOT/src/internal/trace` reads it; nothing here knows event type
//! numbers: the argument counts, the wanted types and the scheduling roles
//! come from JavaScript as tables by type.
//!
//! It allocates nothing: JavaScript lays out the memory (imported, see
//! wasm-merge.ts) and hands over each region's place and capacity. Growing a
//! WebAssembly memory detaches its old buffer, and the first detach in a
//! process makes every typed-array access in V8 check for it from then on
//! (+19% instructions for the whole trace analysis, counted with callgrind);
//! a new memory, copied into, detaches nothing.

#![no_std]

use core::slice;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// A broken promise between this module and wasm-merge.ts: trap (JavaScript sees a RuntimeError).
fn bug() -> ! {
    core::arch::wasm32::unreachable()
}

/// Math.trunc. From 2^52 up every f64 is whole, and NaN or infinity stays as it is; below, the cast
/// truncates, and the sign bit is carried over so -0.5 gives -0 as in JavaScript. (core has no
/// trunc without the standard library; its wasm32 intrinsic is unstable.)
#[inline(always)]
fn trunc(x: f64) -> f64 {
    const SIGN: u64 = 1 << 63;
    if !(f64::from_bits(x.to_bits() & !SIGN) < 4_503_599_627_370_496.0) {
        return x;
    }
    f64::from_bits(((x as i64) as f64).to_bits() | (x.to_bits() & SIGN))
}

/// Events handed to JavaScript per `fp_next` call.
const CAP: usize = 4096;
/// Arguments after the timestamp delta, at most (cursor.ts MAX_ARGS).
const MAX_ARGS: usize = 4;
/// Floats per event handed out: type, time, M, goroutine, P and the arguments.
const RECORD: usize = 5 + MAX_ARGS;
/// The runtime's "none" (^uint64(0)) as the reader decodes it (varint.ts NONE).
const NONE: f64 = -1.0;
const TWO_63: f64 = 9_223_372_036_854_775_808.0;
const TWO_70: f64 = 1_180_591_620_717_411_303_424.0;

/// What an event type does to its M's scheduling context (events.ts SchedRole).
mod role {
    pub const PROC_START: u8 = 1;
    pub const PROC_STOP: u8 = 2;
    pub const PROC_STEAL: u8 = 3;
    pub const PROC_STATUS: u8 = 4;
    pub const GO_ON: u8 = 5;
    pub const GO_OFF: u8 = 6;
    pub const GO_STATUS: u8 = 7;
}
/// ProcStatus's "running" and GoStatus's "running" and "syscall" values (tracev2).
const PROC_RUNNING: f64 = 1.0;
const GO_RUNNING: f64 = 2.0;
const GO_SYSCALL: f64 = 3.0;

/// `fp_status` values; the errors name what `decode.ts` reports.
const RUNNING: u32 = 0;
const DONE: u32 = 1;
const ERR_UNKNOWN_TYPE: u32 = 2;
const ERR_VARINT_TOO_LONG: u32 = 3;
const ERR_CUT_OFF: u32 = 4;
/// The table of Ms is full: JavaScript gives it more room and calls fp_next again.
const NEED_MS_ROOM: u32 = 5;

/// Floats per batch in the heads table: ts (ticks), start, end (in the bytes), file offset of start.
const HEAD: usize = 4;

#[repr(C)]
pub struct MState {
    m: f64,
    g: f64,
    p: f64,
}

#[repr(C)]
pub struct Cursor {
    sched: usize,
    /// The next batch to load and one past this M's last (indexes into the heads).
    next_batch: usize,
    batch_end: usize,
    /// The current batch's bytes, the read position, and the file offset of `start`.
    start: usize,
    end: usize,
    pos: usize,
    data_offset: f64,
    /// The current event: type, time in ns, arguments after the delta, where it starts in the bytes.
    typ: u8,
    time: f64,
    args: [f64; MAX_ARGS],
    event_pos: usize,
}

/// A region JavaScript placed in memory: its start, the elements in use and room for.
#[repr(C)]
pub struct Region<T> {
    ptr: *mut T,
    len: usize,
    cap: usize,
}

impl<T> Region<T> {
    fn get(&self) -> &[T] {
        // SAFETY: JavaScript places each region inside the memory, apart from the others, with room for cap.
        unsafe { slice::from_raw_parts(self.ptr, self.len) }
    }
    fn get_mut(&mut self) -> &mut [T] {
        // SAFETY: as in get; the merger holds the only reference while a call runs.
        unsafe { slice::from_raw_parts_mut(self.ptr, self.len) }
    }
    /// Appends; false when there is no room (the caller reports it).
    fn push(&mut self, v: T) -> bool {
        if self.len >= self.cap {
            return false;
        }
        // SAFETY: len < cap, inside the region.
        unsafe { self.ptr.add(self.len).write(v) };
        self.len += 1;
        true
    }
}

#[repr(C)]
pub struct Merger {
    /// Varints per type for timed events (delta included), -1 for others; then the wanted types; then roles.
    tables: [u8; 768],
    counts: [f64; 256],
    /// Regions, in the order JavaScript lays them out (wasm-merge.ts REGIONS).
    ms: Region<MState>,
    /// Open addressing over ms by M: slot = index + 1, 0 empty; at least twice as many slots as ms has room.
    ms_index: Region<u32>,
    cursors: Region<Cursor>,
    heap: Region<u32>,
    cursor_info: Region<f64>,
    heads: Region<f64>,
    bytes: Region<u8>,
    ns_per_tick: f64,
    /// A whole number of ns per tick: deltas need no truncation.
    whole_ticks: bool,
    /// A run: the top cursor keeps the lead while its events come no later than the runner-up's.
    in_run: bool,
    current: usize,
    /// The runner-up's time when the run began: the run lasts while the top's events come no later.
    limit: f64,
    /// The last time handed out (every event's time is made later than it) and the generation's first.
    last: f64,
    first: f64,
    status: u32,
    error_offset: f64,
    error_type: u32,
    /// The events handed out, RECORD floats each: one array for JavaScript to read, one bounds check an event.
    out: [f64; CAP * RECORD],
}

enum Fail {
    UnknownType(u8),
    TooLong,
    CutOff,
}

/// The most bytes an event takes: its type and five varints of at most ten bytes.
const MAX_EVENT: usize = 1 + 5 * 10;

/// Reads a varint as the JavaScript cursor does (a double, summed 7 bits at a time), through `byte`.
#[inline(always)]
fn varint<B: Fn(usize) -> u8>(byte: &B, pos: &mut usize) -> Result<f64, Fail> {
    let mut c = byte(*pos);
    *pos += 1;
    let mut v = c as f64;
    if c >= 0x80 {
        v = (c & 0x7f) as f64;
        let mut scale = 128.0;
        while c >= 0x80 && scale < TWO_70 {
            c = byte(*pos);
            *pos += 1;
            v += (c & 0x7f) as f64 * scale;
            scale *= 128.0;
        }
        if c >= 0x80 {
            return Err(Fail::TooLong);
        }
        if v >= TWO_63 {
            v = NONE;
        }
    }
    Ok(v)
}

/// What decoding needs from the generation, beside the bytes.
struct Decoding<'a> {
    heads: &'a [f64],
    arg_counts: &'a [u8],
    ns_per_tick: f64,
    /// A whole number of ns per tick makes every delta's ns whole: no truncation to do.
    whole_ticks: bool,
}

impl Cursor {
    /// Decodes the next event; false when this M has no more in the generation.
    #[inline(always)]
    fn advance(&mut self, bytes: &[u8], d: &Decoding, counts: &mut [f64; 256]) -> Result<bool, Fail> {
        if self.pos >= self.end && !self.load_next_batch(d.heads, d.ns_per_tick, bytes.len()) {
            return Ok(false);
        }
        self.event_pos = self.pos;
        if self.pos + MAX_EVENT <= self.end {
            // SAFETY: the event cannot read past pos + MAX_EVENT, which is inside the batch and so inside bytes.
            let base = bytes.as_ptr();
            let (typ, pos) = self.decode(&|p| unsafe { *base.add(p) }, d)?;
            self.commit(typ, pos, counts);
        } else {
            // Near the batch's end a read past it gives 0, which ends a varint; the check after the event catches it.
            let batch = &bytes[..self.end];
            let (typ, pos) = self.decode(&|p| batch.get(p).copied().unwrap_or(0), d)?;
            if pos > self.end {
                return Err(Fail::CutOff);
            }
            self.commit(typ, pos, counts);
        }
        Ok(true)
    }

    #[inline(always)]
    fn commit(&mut self, typ: u8, pos: usize, counts: &mut [f64; 256]) {
        self.pos = pos;
        self.typ = typ;
        counts[typ as usize] += 1.0;
    }

    /// Reads the event at pos into time and args; returns its type and where the next starts.
    #[inline(always)]
    fn decode<B: Fn(usize) -> u8>(&mut self, byte: &B, d: &Decoding) -> Result<(u8, usize), Fail> {
        let mut pos = self.pos;
        let typ = byte(pos);
        pos += 1;
        let n = d.arg_counts[typ as usize] as i8;
        if n < 1 {
            return Err(Fail::UnknownType(typ));
        }
        // The delta is converted on its own, as the Go reader does.
        let dt = varint(byte, &mut pos)? * d.ns_per_tick;
        self.time += if d.whole_ticks { dt } else { trunc(dt) };
        for i in 1..n as usize {
            self.args[i - 1] = varint(byte, &mut pos)?;
        }
        Ok((typ, pos))
    }

    fn load_next_batch(&mut self, heads: &[f64], ns_per_tick: f64, bytes: usize) -> bool {
        while self.next_batch < self.batch_end {
            let h = &heads[self.next_batch * HEAD..(self.next_batch + 1) * HEAD];
            self.next_batch += 1;
            self.time = trunc(h[0] * ns_per_tick);
            let (start, end) = (h[1] as usize, h[2] as usize);
            if start > end || end > bytes {
                bug();
            }
            if start == end {
                continue;
            }
            self.start = start;
            self.end = end;
            self.pos = start;
            self.data_offset = h[3];
            return true;
        }
        false
    }
}

/// The element at `i` of a region, borrowed apart from the merger that holds the region.
fn item<'a, T>(region: &Region<T>, i: usize) -> &'a mut T {
    if i >= region.len {
        bug();
    }
    // SAFETY: inside the region, which no other reference covers while the merge holds this one.
    unsafe { &mut *region.ptr.add(i) }
}

fn decoding<'a>(tables: &'a [u8; 768], heads: &'a Region<f64>, ns_per_tick: f64, whole_ticks: bool) -> Decoding<'a> {
    Decoding { heads: heads.get(), arg_counts: &tables[..256], ns_per_tick, whole_ticks }
}

/// Where M `m` is, or would go, in the index: its slot and what the slot holds (0 for empty).
fn probe(ms: &Region<MState>, index: &Region<u32>, m: f64) -> (usize, u32) {
    let slots = index.get();
    let mask = slots.len() - 1;
    // Fibonacci hashing of the float's bits: M numbers are thread IDs, often close together.
    let mut i = (m.to_bits().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & mask;
    loop {
        let slot = slots[i];
        if slot == 0 || ms.get()[slot as usize - 1].m == m {
            return (i, slot);
        }
        i = (i + 1) & mask;
    }
}

/// The scheduling context of M `m`, created on first use; None when the table is full.
fn state(ms: &mut Region<MState>, index: &mut Region<u32>, m: f64) -> Option<usize> {
    let (i, slot) = probe(ms, index, m);
    if slot != 0 {
        return Some(slot as usize - 1);
    }
    if !ms.push(MState { m, g: NONE, p: NONE }) {
        return None;
    }
    index.get_mut()[i] = ms.len as u32;
    Some(ms.len - 1)
}

/// Updates M `s`'s context after an event of role `r` (events.ts SchedContext.apply).
/// The merge has made sure the table has room for an M the event names.
fn apply(ms: &mut Region<MState>, index: &mut Region<u32>, s: usize, r: u8, args: &[f64; MAX_ARGS]) {
    match r {
        role::PROC_START => ms.get_mut()[s].p = args[0],
        role::PROC_STOP => ms.get_mut()[s].p = NONE,
        role::PROC_STEAL => {
            let victim = args[2];
            if victim != NONE {
                let Some(v) = state(ms, index, victim) else { bug() };
                let v = &mut ms.get_mut()[v];
                if v.p == args[0] {
                    v.p = NONE;
                }
            }
        }
        role::PROC_STATUS => {
            if args[1] == PROC_RUNNING {
                ms.get_mut()[s].p = args[0];
            }
        }
        role::GO_ON => ms.get_mut()[s].g = args[0],
        role::GO_OFF => ms.get_mut()[s].g = NONE,
        role::GO_STATUS => {
            let (on_m, status) = (args[1], args[2]);
            if (status == GO_RUNNING || status == GO_SYSCALL) && on_m != NONE {
                let Some(m) = state(ms, index, on_m) else { bug() };
                ms.get_mut()[m].g = args[0];
            }
        }
        _ => {}
    }
}

impl Merger {
    fn fail(&mut self, cursor: usize, f: Fail) {
        let c = &self.cursors.get()[cursor];
        self.error_offset = c.data_offset + (c.event_pos - c.start) as f64;
        self.status = match f {
            Fail::UnknownType(t) => {
                self.error_type = t as u32;
                ERR_UNKNOWN_TYPE
            }
            Fail::TooLong => ERR_VARINT_TOO_LONG,
            Fail::CutOff => ERR_CUT_OFF,
        };
    }

    fn advance(&mut self, c: usize) -> Result<bool, Fail> {
        let cur = item(&self.cursors, c);
        let d = decoding(&self.tables, &self.heads, self.ns_per_tick, self.whole_ticks);
        cur.advance(self.bytes.get(), &d, &mut self.counts)
    }

    /// Sets up the generation whose batches are in the bytes, heads and cursor_info regions.
    fn begin(&mut self, ns_per_tick: f64) {
        // The unchecked decoding relies on no event having more than the type and 1 + MAX_ARGS varints.
        if self.tables[..256].iter().any(|&n| n as i8 > (1 + MAX_ARGS) as i8) {
            bug();
        }
        self.ns_per_tick = ns_per_tick;
        self.whole_ticks = ns_per_tick == trunc(ns_per_tick);
        self.cursors.len = 0;
        self.heap.len = 0;
        self.in_run = false;
        self.first = f64::NAN;
        self.status = RUNNING;
        let mut next_batch = 0;
        for k in 0..self.cursor_info.len / 2 {
            let (m, batches) = (self.cursor_info.get()[2 * k], self.cursor_info.get()[2 * k + 1] as usize);
            // JavaScript gives the table room for every M of the generation, and a cursor each, before it begins.
            let Some(sched) = state(&mut self.ms, &mut self.ms_index, m) else { bug() };
            let cursor = Cursor {
                sched,
                next_batch,
                batch_end: next_batch + batches,
                start: 0,
                end: 0,
                pos: 0,
                data_offset: 0.0,
                typ: 0,
                time: 0.0,
                args: [0.0; MAX_ARGS],
                event_pos: 0,
            };
            if !self.cursors.push(cursor) {
                bug();
            }
            next_batch += batches;
            let c = self.cursors.len - 1;
            match self.advance(c) {
                Ok(true) => self.push(c),
                Ok(false) => {}
                Err(f) => return self.fail(c, f),
            }
        }
        if self.heap.len > 0 {
            let t = self.cursors.get()[self.heap.get()[0] as usize].time;
            self.first = if t > self.last { t } else { self.last + 1.0 };
        } else {
            self.status = DONE;
        }
    }

    /// Merges up to CAP events into the output columns; the status says whether more follow.
    fn next(&mut self) -> usize {
        if self.status == NEED_MS_ROOM {
            self.status = RUNNING;
        }
        if self.status != RUNNING {
            return 0;
        }
        let mut wants = [0u8; 256];
        let mut roles = [0u8; 256];
        wants.copy_from_slice(&self.tables[256..512]);
        roles.copy_from_slice(&self.tables[512..768]);
        let mut n = 0;
        let mut last = self.last;
        'chunk: while n < CAP {
            if !self.in_run {
                if self.heap.len == 0 {
                    self.status = DONE;
                    break;
                }
                self.current = self.heap.get()[0] as usize;
                self.limit = match self.heap_runner_up() {
                    None => f64::INFINITY,
                    Some(r) => self.cursors.get()[r].time,
                };
                self.in_run = true;
            }
            // A run: the top cursor keeps the lead while its events come no later than the runner-up's.
            let c = self.current;
            let cur = item(&self.cursors, c);
            let limit = self.limit;
            let d = decoding(&self.tables, &self.heads, self.ns_per_tick, self.whole_ticks);
            let bytes = self.bytes.get();
            loop {
                let typ = cur.typ as usize;
                let r = roles[typ];
                // An M the event names may need a place in the table: stop before the event, to resume after room is made.
                if (r == role::PROC_STEAL || r == role::GO_STATUS) && self.ms.len >= self.ms.cap {
                    self.status = NEED_MS_ROOM;
                    break 'chunk;
                }
                let time = cur.time;
                last = if time > last { time } else { last + 1.0 };
                if wants[typ] != 0 {
                    let s = &self.ms.get()[cur.sched];
                    let a = &cur.args;
                    let record = [cur.typ as f64, last, s.m, s.g, s.p, a[0], a[1], a[2], a[3]];
                    self.out[n * RECORD..(n + 1) * RECORD].copy_from_slice(&record);
                    n += 1;
                }
                if r != 0 {
                    apply(&mut self.ms, &mut self.ms_index, cur.sched, r, &cur.args);
                }
                match cur.advance(bytes, &d, &mut self.counts) {
                    Err(f) => {
                        self.fail(c, f);
                        break 'chunk;
                    }
                    Ok(alive) => {
                        if !(alive && cur.time <= limit) {
                            self.fix_top(alive);
                            self.in_run = false;
                            continue 'chunk;
                        }
                    }
                }
                if n == CAP {
                    break 'chunk;
                }
            }
        }
        self.last = last;
        n
    }

    // The heap of cursors by time, as events.ts CursorHeap orders it (ties included).

    fn time_of(&self, heap_index: usize) -> f64 {
        self.cursors.get()[self.heap.get()[heap_index] as usize].time
    }

    fn push(&mut self, c: usize) {
        // The heap has a place per cursor (JavaScript sizes both alike), so this push always fits.
        self.heap.push(c as u32);
        let t = self.cursors.get()[c].time;
        let mut i = self.heap.len - 1;
        while i > 0 {
            let parent = (i - 1) >> 1;
            if self.time_of(parent) <= t {
                break;
            }
            let a = self.heap.get_mut();
            a[i] = a[parent];
            i = parent;
        }
        self.heap.get_mut()[i] = c as u32;
    }

    fn heap_runner_up(&self) -> Option<usize> {
        let a = self.heap.get();
        match a.len() {
            0 | 1 => None,
            2 => Some(a[1] as usize),
            _ => Some(if self.time_of(2) < self.time_of(1) { a[2] } else { a[1] } as usize),
        }
    }

    fn fix_top(&mut self, alive: bool) {
        if alive && self.heap.len == 1 {
            return;
        }
        if !alive {
            // Pop the last cursor into the top's place.
            let a = self.heap.get_mut();
            let last = a[a.len() - 1];
            self.heap.len -= 1;
            if self.heap.len == 0 {
                return;
            }
            self.heap.get_mut()[0] = last;
        }
        let cursors = self.cursors.get();
        let a = self.heap.get_mut();
        let c = a[0];
        let t = cursors[c as usize].time;
        let mut i = 0;
        loop {
            let l = 2 * i + 1;
            if l >= a.len() {
                break;
            }
            let r = l + 1;
            let child = if r < a.len() && cursors[a[r] as usize].time < cursors[a[l] as usize].time { r } else { l };
            if cursors[a[child] as usize].time >= t {
                break;
            }
            a[i] = a[child];
            i = child;
        }
        a[i] = c;
    }
}

// The exported interface; wasm-merge.ts is its only caller. `h` points at a
// Merger JavaScript placed in memory and fp_init set up.

#[no_mangle]
pub extern "C" fn fp_merger_size() -> usize {
    core::mem::size_of::<Merger>()
}

#[no_mangle]
pub extern "C" fn fp_cursor_size() -> usize {
    core::mem::size_of::<Cursor>()
}

#[no_mangle]
pub extern "C" fn fp_mstate_size() -> usize {
    core::mem::size_of::<MState>()
}

/// Sets up a merger at `h` (size fp_merger_size, 8-byte aligned); its regions are set next.
#[no_mangle]
pub unsafe extern "C" fn fp_init(h: *mut Merger) {
    // Zeroed in place: a Merger built whole would pass through the small stack (its output is 288 KB).
    core::ptr::write_bytes(h as *mut u8, 0, core::mem::size_of::<Merger>());
    let m = &mut *h;
    m.last = f64::NEG_INFINITY;
    m.first = f64::NAN;
    m.status = DONE;
}

/// Places a region (REGIONS in wasm-merge.ts: 0 ms, 1 ms_index, 2 cursors, 3 heap, 4 cursor_info, 5 heads,
/// 6 bytes): its start, length in use and room. Checked, as the unchecked decoding trusts the regions:
/// each must lie after the merger, inside the memory, aligned for its elements.
#[no_mangle]
pub unsafe extern "C" fn fp_region(h: *mut Merger, which: u32, ptr: usize, len: usize, cap: usize) {
    let m = &mut *h;
    match which {
        0 => m.ms = region(h, ptr, len, cap),
        1 => m.ms_index = region(h, ptr, len, cap),
        2 => m.cursors = region(h, ptr, len, cap),
        3 => m.heap = region(h, ptr, len, cap),
        4 => m.cursor_info = region(h, ptr, len, cap),
        5 => m.heads = region(h, ptr, len, cap),
        6 => m.bytes = region(h, ptr, len, cap),
        _ => bug(),
    }
}

fn region<T>(h: *mut Merger, ptr: usize, len: usize, cap: usize) -> Region<T> {
    let memory = core::arch::wasm32::memory_size(0) * 65536;
    let size = cap.checked_mul(core::mem::size_of::<T>()).unwrap_or_else(|| bug());
    let fits = ptr.checked_add(size).is_some_and(|end| end <= memory);
    if len > cap || ptr < h as usize + core::mem::size_of::<Merger>() || !fits || ptr % core::mem::align_of::<T>() != 0 {
        bug();
    }
    Region { ptr: ptr as *mut T, len, cap }
}

/// Rebuilds the index of Ms after JavaScript moved the regions into a new memory (its slots start zeroed).
#[no_mangle]
pub unsafe extern "C" fn fp_reindex(h: *mut Merger) {
    let m = &mut *h;
    if !m.ms_index.cap.is_power_of_two() || m.ms_index.len != m.ms_index.cap || m.ms_index.cap < 2 * m.ms.cap {
        bug();
    }
    m.ms_index.get_mut().fill(0);
    for k in 0..m.ms.len {
        let (i, _) = probe(&m.ms, &m.ms_index, m.ms.get()[k].m);
        m.ms_index.get_mut()[i] = k as u32 + 1;
    }
}

/// The numbers wasm-merge.ts writes out too, which it checks against these: 0 CAP, 1 RECORD, 2 HEAD.
#[no_mangle]
pub extern "C" fn fp_constant(which: u32) -> usize {
    match which {
        0 => CAP,
        1 => RECORD,
        _ => HEAD,
    }
}

/// A region's length in use (elements), so JavaScript can carry it into a new memory.
#[no_mangle]
pub unsafe extern "C" fn fp_region_len(h: *mut Merger, which: u32) -> usize {
    let m = &*h;
    match which {
        0 => m.ms.len,
        1 => m.ms_index.len,
        2 => m.cursors.len,
        3 => m.heap.len,
        4 => m.cursor_info.len,
        5 => m.heads.len,
        _ => m.bytes.len,
    }
}

/// Offsets inside the merger: 0 tables (768 bytes: argument counts as i8, wanted types, scheduling roles),
/// 1 counts by type (f64, JavaScript takes and zeroes them), 2 the events handed out (RECORD f64 each:
/// type, time, M, goroutine, P, then MAX_ARGS arguments).
#[no_mangle]
pub unsafe extern "C" fn fp_field(h: *mut Merger, which: u32) -> usize {
    let m = &*h;
    match which {
        0 => m.tables.as_ptr() as usize,
        1 => m.counts.as_ptr() as usize,
        _ => m.out.as_ptr() as usize,
    }
}

#[no_mangle]
pub unsafe extern "C" fn fp_begin(h: *mut Merger, ns_per_tick: f64) -> u32 {
    let m = &mut *h;
    m.begin(ns_per_tick);
    m.status
}

#[no_mangle]
pub unsafe extern "C" fn fp_next(h: *mut Merger) -> u32 {
    (*h).next() as u32
}

#[no_mangle]
pub unsafe extern "C" fn fp_status(h: *mut Merger) -> u32 {
    (*h).status
}

#[no_mangle]
pub unsafe extern "C" fn fp_error_offset(h: *mut Merger) -> f64 {
    (*h).error_offset
}

#[no_mangle]
pub unsafe extern "C" fn fp_error_type(h: *mut Merger) -> u32 {
    (*h).error_type
}

#[no_mangle]
pub unsafe extern "C" fn fp_first(h: *mut Merger) -> f64 {
    (*h).first
}

#[no_mangle]
pub unsafe extern "C" fn fp_last(h: *mut Merger) -> f64 {
    (*h).last
}

/// Sets the last time handed out (decode.ts keeps it across generations).
#[no_mangle]
pub unsafe extern "C" fn fp_set_last(h: *mut Merger, last: f64) {
    (*h).last = last;
}
