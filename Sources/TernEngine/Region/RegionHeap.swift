// RegionHeap: a first-fit allocator with coalescing over an arena inside a
// region. Its control block (32 bytes) and its blocks live in region memory,
// so every process attached to the region shares it.
//
// Layout. The control block at `control` holds:
//   +0  freeHead   offset of the first free block (0: none)
//   +8  arenaStart offset of the first block (16-aligned)
//   +16 arenaEnd   offset one past the last block
//   +24 inUse      bytes in allocated blocks, headers included
// Every block starts with a 16-byte header:
//   +0  size | 1 when allocated (size includes the header, multiple of 16)
//   +8  free: offset of the next free block (0: end of list)
//       allocated: `allocatedTag`, checked by `free` to catch bad offsets
// The payload follows the header, so payloads are 16-aligned.
//
// Invariants (checked by `check()`): the blocks tile the arena exactly; the
// free list is in ascending address order and holds exactly the free blocks;
// no two free blocks are adjacent (frees coalesce); `inUse` is the sum of the
// allocated blocks' sizes.
//
// Locking rule: the owner of the heap serialises every call with one mutex
// (Region: its heap mutex; PageCache: its eviction mutex). RegionHeap itself
// takes no lock.
struct RegionHeap {
    static let controlSize = 32
    static let headerSize = 16
    static let minimumBlock = 32
    static let allocatedTag: UInt64 = 0xA110_C8ED_7E2A_0001

    let base: UnsafeMutableRawPointer
    let control: Int

    init(base: UnsafeMutableRawPointer, control: RegionOffset) {
        self.base = base
        self.control = Int(control.raw)
    }

    var freeHead: Int {
        get { Int(base.u64(control)) }
        nonmutating set { base.setU64(control, UInt64(newValue)) }
    }
    var arenaStart: Int { Int(base.u64(control + 8)) }
    var arenaEnd: Int { Int(base.u64(control + 16)) }
    var inUse: Int {
        get { Int(base.u64(control + 24)) }
        nonmutating set { base.setU64(control + 24, UInt64(newValue)) }
    }
    var capacity: Int { arenaEnd - arenaStart }

    /// Lays out an empty heap: one free block spanning [start, end).
    func format(arenaStart start: Int, arenaEnd end: Int) {
        let s = (start + 15) & ~15
        let e = end & ~15
        base.setU64(control + 8, UInt64(s))
        base.setU64(control + 16, UInt64(e))
        inUse = 0
        if e - s >= RegionHeap.minimumBlock {
            base.setU64(s, UInt64(e - s))
            base.setU64(s + 8, 0)
            freeHead = s
        } else {
            base.setU64(control + 16, UInt64(s))
            freeHead = 0
        }
    }

    @inline(__always) private func blockSize(_ b: Int) -> Int { Int(base.u64(b) & ~15) }
    @inline(__always) private func isAllocated(_ b: Int) -> Bool { base.u64(b) & 1 != 0 }
    @inline(__always) private func next(_ b: Int) -> Int { Int(base.u64(b + 8)) }
    @inline(__always) private func setNext(_ b: Int, _ n: Int) { base.setU64(b + 8, UInt64(n)) }

    /// The block size a request of `bytes` needs.
    static func blockSize(for bytes: Int) -> Int {
        max(minimumBlock, (bytes + headerSize + 15) & ~15)
    }

    /// First fit. Returns the payload's offset, or nil when no free block is
    /// large enough.
    func allocate(_ bytes: Int) -> RegionOffset? {
        guard bytes >= 0, bytes <= capacity else { return nil }
        let need = RegionHeap.blockSize(for: bytes)
        var prev = 0
        var b = freeHead
        while b != 0 {
            let size = blockSize(b)
            if size >= need {
                let rest = size - need
                let following: Int
                if rest >= RegionHeap.minimumBlock {
                    // Split: the tail stays free, in the same list position.
                    let tail = b + need
                    base.setU64(tail, UInt64(rest))
                    setNext(tail, next(b))
                    following = tail
                    base.setU64(b, UInt64(need) | 1)
                    inUse += need
                } else {
                    following = next(b)
                    base.setU64(b, UInt64(size) | 1)
                    inUse += size
                }
                if prev == 0 { freeHead = following } else { setNext(prev, following) }
                base.setU64(b + 8, RegionHeap.allocatedTag)
                return RegionOffset(b + RegionHeap.headerSize)
            }
            prev = b
            b = next(b)
        }
        return nil
    }

    /// The usable bytes of an allocated payload.
    func usableSize(_ payload: RegionOffset) -> Int {
        blockSize(Int(payload.raw) - RegionHeap.headerSize) - RegionHeap.headerSize
    }

    /// Returns a block to the free list, merging it with free neighbours.
    /// A payload offset that is not an allocated block is ignored and
    /// reported (false): a corrupt caller must not corrupt the heap.
    @discardableResult
    func free(_ payload: RegionOffset) -> Bool {
        let b = Int(payload.raw) - RegionHeap.headerSize
        guard b >= arenaStart, b + RegionHeap.minimumBlock <= arenaEnd, b & 15 == 0,
              isAllocated(b), base.u64(b + 8) == RegionHeap.allocatedTag else { return false }
        var size = blockSize(b)
        inUse -= size
        // Find the free neighbours in the address-ordered list.
        var prev = 0
        var n = freeHead
        while n != 0 && n < b { prev = n; n = next(n) }
        // Merge with the following block.
        if n != 0 && b + size == n {
            size += blockSize(n)
            n = next(n)
        }
        base.setU64(b, UInt64(size))
        setNext(b, n)
        // Merge with the preceding block.
        if prev != 0 && prev + blockSize(prev) == b {
            base.setU64(prev, UInt64(blockSize(prev) + size))
            setNext(prev, n)
        } else if prev == 0 {
            freeHead = b
        } else {
            setNext(prev, b)
        }
        return true
    }

    /// Checks every invariant; returns a description of the first broken
    /// one, or nil.
    func check() -> String? {
        var b = arenaStart
        var used = 0
        var freeBlocks: [Int] = []
        var previousFree = false
        while b < arenaEnd {
            let size = blockSize(b)
            if size < RegionHeap.minimumBlock || b + size > arenaEnd {
                return "block at \(b) has bad size \(size)"
            }
            if isAllocated(b) {
                if base.u64(b + 8) != RegionHeap.allocatedTag { return "block at \(b) lost its tag" }
                used += size
                previousFree = false
            } else {
                if previousFree { return "adjacent free blocks at \(b)" }
                freeBlocks.append(b)
                previousFree = true
            }
            b += size
        }
        if b != arenaEnd { return "blocks end at \(b), arena at \(arenaEnd)" }
        if used != inUse { return "inUse is \(inUse), blocks say \(used)" }
        var listed: [Int] = []
        var n = freeHead
        while n != 0 {
            if listed.count > freeBlocks.count { return "free list longer than free blocks (cycle?)" }
            if let last = listed.last, last >= n { return "free list not ascending at \(n)" }
            listed.append(n)
            n = next(n)
        }
        if listed != freeBlocks { return "free list \(listed) != free blocks \(freeBlocks)" }
        return nil
    }

    /// Bytes in free blocks and the largest free block, for statistics.
    func freeSpace() -> (total: Int, largest: Int) {
        var total = 0, largest = 0
        var n = freeHead
        while n != 0 {
            let s = blockSize(n)
            total += s
            largest = max(largest, s)
            n = next(n)
        }
        return (total, largest)
    }
}
