//! The hot loop of footprint's execution-trace reader, built to WebAssembly.
//!
//! It decodes the event batches of one generation, one cursor per M, merges
//! them by time and tracks which goroutine and P each M runs, then hands the
//! events to JavaScript in fixed-size columns. It is a transcription of
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
    /// The current event: type, time in ns, arguments after the delta, file offset.
    typ: u8,
    time: f64,
    args: [f64; MAX_ARGS],
    offset: f64,
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
        if self.len == self.cap {
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
    cursors: Region<Cursor>,
    heap: Region<u32>,
    cursor_info: Region<f64>,
    heads: Region<f64>,
    bytes: Region<u8>,
    ns_per_tick: f64,
    /// A run: the top cursor keeps the lead while its events come no later than the runner-up's.
    in_run: bool,
    current: usize,
    runner_up: Option<usize>,
    /// The last time handed out (every event's time is made later than it) and the generation's first.
    last: f64,
    first: f64,
    status: u32,
    error_offset: f64,
    error_type: u32,
    out_type: [u8; CAP],
    out_time: [f64; CAP],
    out_m: [f64; CAP],
    out_g: [f64; CAP],
    out_p: [f64; CAP],
    out_args: [f64; CAP * MAX_ARGS],
}

enum Fail {
    UnknownType(u8),
    TooLong,
    CutOff,
}

/// A byte of the batch, or 0 past its end (ends a varint; the cut-off check after the event catches it).
#[inline(always)]
fn byte_at(data: &[u8], pos: usize) -> u8 {
    match data.get(pos) {
        Some(&b) => b,
        None => 0,
    }
}

#[inline(always)]
fn varint(data: &[u8], pos: &mut usize) -> Result<f64, Fail> {
    let mut c = byte_at(data, *pos);
    *pos += 1;
    let mut v = c as f64;
    if c >= 0x80 {
        v = (c & 0x7f) as f64;
        let mut scale = 128.0;
        while c >= 0x80 && scale < TWO_70 {
            c = byte_at(data, *pos);
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

impl Cursor {
    /// Decodes the next event; false when this M has no more in the generation.
    #[inline(always)]
    fn advance(&mut self, bytes: &[u8], heads: &[f64], ns_per_tick: f64, arg_counts: &[u8], counts: &mut [f64; 256]) -> Result<bool, Fail> {
        if self.pos >= self.end && !self.load_next_batch(heads, ns_per_tick) {
            return Ok(false);
        }
        let data = &bytes[self.start..self.end];
        let mut pos = self.pos - self.start;
        self.offset = self.data_offset + pos as f64;
        let typ = data[pos];
        pos += 1;
        let n = arg_counts[typ as usize] as i8;
        if n < 1 {
            return Err(Fail::UnknownType(typ));
        }
        // The delta is converted on its own, as the Go reader does.
        let dt = varint(data, &mut pos)?;
        self.time += trunc(dt * ns_per_tick);
        for i in 1..n as usize {
            self.args[i - 1] = varint(data, &mut pos)?;
        }
        if pos > data.len() {
            return Err(Fail::CutOff);
        }
        self.pos = self.start + pos;
        self.typ = typ;
        counts[typ as usize] += 1.0;
        Ok(true)
    }

    fn load_next_batch(&mut self, heads: &[f64], ns_per_tick: f64) -> bool {
        while self.next_batch < self.batch_end {
            let h = &heads[self.next_batch * HEAD..(self.next_batch + 1) * HEAD];
            self.next_batch += 1;
            self.time = trunc(h[0] * ns_per_tick);
            let (start, end) = (h[1] as usize, h[2] as usize);
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

impl Merger {
    /// The scheduling context of M `m`, created on first use; None when the table is full.
    fn state(&mut self, m: f64) -> Option<usize> {
        if let Some(i) = self.ms.get().iter().position(|s| s.m == m) {
            return Some(i);
        }
        if !self.ms.push(MState { m, g: NONE, p: NONE }) {
            return None;
        }
        Some(self.ms.len - 1)
    }

    fn fail(&mut self, cursor: usize, f: Fail) {
        self.error_offset = self.cursors.get()[cursor].offset;
        self.status = match f {
            Fail::UnknownType(t) => {
                self.error_type = t as u32;
                ERR_UNKNOWN_TYPE
            }
            Fail::TooLong => ERR_VARINT_TOO_LONG,
            Fail::CutOff => ERR_CUT_OFF,
        };
    }

    fn advance(&mut self, cursor: usize) -> Result<bool, Fail> {
        let arg_counts = &self.tables[..256];
        let (bytes, heads) = (self.bytes.get(), self.heads.get());
        self.cursors.get_mut()[cursor].advance(bytes, heads, self.ns_per_tick, arg_counts, &mut self.counts)
    }

    /// Sets up the generation whose batches are in the bytes, heads and cursor_info regions.
    fn begin(&mut self, ns_per_tick: f64) {
        self.ns_per_tick = ns_per_tick;
        self.cursors.len = 0;
        self.heap.len = 0;
        self.in_run = false;
        self.first = f64::NAN;
        self.status = RUNNING;
        let mut next_batch = 0;
        for k in 0..self.cursor_info.len / 2 {
            let (m, batches) = (self.cursor_info.get()[2 * k], self.cursor_info.get()[2 * k + 1] as usize);
            // JavaScript gives the table room for every M of the generation, and a cursor each, before it begins.
            let Some(sched) = self.state(m) else { bug() };
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
                offset: 0.0,
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
        let mut n = 0;
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
        while n < CAP {
            if !self.in_run {
                if self.heap.len == 0 {
                    self.status = DONE;
                    break;
                }
                self.current = self.heap.get()[0] as usize;
                self.runner_up = self.heap_runner_up();
                self.in_run = true;
            }
            let c = self.current;
            let (time, typ, sched, args) = {
                let cur = &self.cursors.get()[c];
                (cur.time, cur.typ, cur.sched, cur.args)
            };
            let r = roles[typ as usize];
            // An M this event names may need a place in the table: stop before the event, to resume after room is made.
            if (r == role::PROC_STEAL || r == role::GO_STATUS) && self.ms.len == self.ms.cap {
                self.status = NEED_MS_ROOM;
                break;
            }
            self.last = if time > self.last { time } else { self.last + 1.0 };
            if wants[typ as usize] != 0 {
                let s = &self.ms.get()[sched];
                self.out_type[n] = typ;
                self.out_time[n] = self.last;
                self.out_m[n] = s.m;
                self.out_g[n] = s.g;
                self.out_p[n] = s.p;
                self.out_args[n * MAX_ARGS..(n + 1) * MAX_ARGS].copy_from_slice(&args);
                n += 1;
            }
            if r != 0 {
                self.apply(sched, r, &args);
            }
            match self.advance(c) {
                Err(f) => {
                    self.fail(c, f);
                    break;
                }
                Ok(alive) => {
                    let keeps_lead = match self.runner_up {
                        None => true,
                        Some(r) => self.cursors.get()[c].time <= self.cursors.get()[r].time,
                    };
                    if !(alive && keeps_lead) {
                        self.fix_top(alive);
                        self.in_run = false;
                    }
                }
            }
        }
        n
    }

    /// Updates M `s`'s context after an event of role `r` (events.ts SchedContext.apply).
    /// next() has made sure the table has room for an M the event names.
    fn apply(&mut self, s: usize, r: u8, args: &[f64; MAX_ARGS]) {
        let ms = self.ms.get_mut();
        match r {
            role::PROC_START => ms[s].p = args[0],
            role::PROC_STOP => ms[s].p = NONE,
            role::PROC_STEAL => {
                let victim = args[2];
                if victim != NONE {
                    if let Some(v) = self.state(victim) {
                        let ms = self.ms.get_mut();
                        if ms[v].p == args[0] {
                            ms[v].p = NONE;
                        }
                    }
                }
            }
            role::PROC_STATUS => {
                if args[1] == PROC_RUNNING {
                    ms[s].p = args[0];
                }
            }
            role::GO_ON => ms[s].g = args[0],
            role::GO_OFF => ms[s].g = NONE,
            role::GO_STATUS => {
                let (on_m, status) = (args[1], args[2]);
                if (status == GO_RUNNING || status == GO_SYSCALL) && on_m != NONE {
                    if let Some(m) = self.state(on_m) {
                        self.ms.get_mut()[m].g = args[0];
                    }
                }
            }
            _ => {}
        }
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
    // Field by field: a Merger built whole would pass through the small stack (the output columns are 260 KB).
    let m = &mut *h;
    core::ptr::write_bytes(h as *mut u8, 0, core::mem::size_of::<Merger>());
    m.last = f64::NEG_INFINITY;
    m.first = f64::NAN;
    m.status = DONE;
}

/// Places a region (0 ms, 1 cursors, 2 heap, 3 cursor_info, 4 heads, 5 bytes): its start, length in use and room.
#[no_mangle]
pub unsafe extern "C" fn fp_region(h: *mut Merger, which: u32, ptr: usize, len: usize, cap: usize) {
    let m = &mut *h;
    match which {
        0 => m.ms = Region { ptr: ptr as *mut MState, len, cap },
        1 => m.cursors = Region { ptr: ptr as *mut Cursor, len, cap },
        2 => m.heap = Region { ptr: ptr as *mut u32, len, cap },
        3 => m.cursor_info = Region { ptr: ptr as *mut f64, len, cap },
        4 => m.heads = Region { ptr: ptr as *mut f64, len, cap },
        _ => m.bytes = Region { ptr: ptr as *mut u8, len, cap },
    }
}

/// A region's length in use (elements), so JavaScript can carry it into a new memory.
#[no_mangle]
pub unsafe extern "C" fn fp_region_len(h: *mut Merger, which: u32) -> usize {
    let m = &*h;
    match which {
        0 => m.ms.len,
        1 => m.cursors.len,
        2 => m.heap.len,
        3 => m.cursor_info.len,
        4 => m.heads.len,
        _ => m.bytes.len,
    }
}

/// Offsets inside the merger: 0 tables (768 bytes: argument counts as i8, wanted types, scheduling roles),
/// 1 counts by type (f64, JavaScript takes and zeroes them), then the output columns: 2 types (u8),
/// 3 times, 4 Ms, 5 goroutines, 6 Ps, 7 arguments (MAX_ARGS per event).
#[no_mangle]
pub unsafe extern "C" fn fp_field(h: *mut Merger, which: u32) -> usize {
    let m = &*h;
    match which {
        0 => m.tables.as_ptr() as usize,
        1 => m.counts.as_ptr() as usize,
        2 => m.out_type.as_ptr() as usize,
        3 => m.out_time.as_ptr() as usize,
        4 => m.out_m.as_ptr() as usize,
        5 => m.out_g.as_ptr() as usize,
        6 => m.out_p.as_ptr() as usize,
        _ => m.out_args.as_ptr() as usize,
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
