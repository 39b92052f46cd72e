package dev.fmmap;

import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.memory.NativeMemory;
import dev.fmmap.search.CopiedSearch;
import dev.fmmap.search.MapSearch;
import dev.fmmap.search.PageGuard;
import dev.fmmap.search.SearchWarmup;
import dev.fmmap.syscalls.Syscalls;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A memory map of a file descriptor or of anonymous memory, with the parameters and semantics of
 * Python's {@code mmap.mmap} on Unix, usable from plain Java.
 *
 * <p>Safety: no range this map ever occupied is unmapped while anything may still point into it.
 * When the map is closed, shrunk or moved, the pages it leaves are replaced in place (atomically,
 * with {@code MAP_FIXED}) by zero-filled anonymous pages, which stay reserved until the map is
 * unreachable (and, on JDK 22 and later, every buffer and segment it handed out); only then does a
 * cleaner unmap them. So a stale buffer, a racing thread, or a raw {@link #address()} lent to
 * Python's buffer protocol reads harmless zeros instead of faulting. (A shared arena would give
 * exceptions instead, but closing one costs a thread handshake: ~70 us here, and more in a busy VM,
 * per close and per resize.)
 *
 * <p>A file truncated beneath the map (by any process) takes pages away; touching them would raise
 * SIGBUS. The accessors here turn that fault into {@link ErrnoException} EFAULT, and file maps with
 * their own descriptor are watched ({@code TruncationWatcher}): the lost pages are replaced by zero
 * pages, so raw addresses read zeros, and given back when the file grows again. {@link GuardMode} says
 * how much a caller that reads the raw address may rely on that ({@link #rawAccessAddress()}).
 *
 * <p>Argument errors throw {@link IllegalArgumentException} with CPython's wording; out-of-range
 * accesses throw {@link IndexOutOfBoundsException}; failed system calls throw {@link ErrnoException}.
 */
public final class MemoryMap implements AutoCloseable
{
    private static final int PROT_RW = Posix.PROT_READ | Posix.PROT_WRITE;

    private final Access access;
    private final int prot;
    private final int flags;
    private final long offset;
    private final boolean trackFd;
    private final boolean anonymous;
    private final GuardMode guardMode;
    private final NativeMapping state;
    /** Releases the native state once the map is unreachable (buffers and segments keep it reachable). */
    private static final Cleaner CLEANER = Cleaner.create();
    /** Shared anonymous memory is a shmem object of fixed size: pages past it would raise SIGBUS. */
    private final long sharedAnonymousLimit;

    /** The live mapping, replaced by resize and cleared by close. */
    private volatile Live live;
    /** How searches make the live mapping's pages safe for native code; replaced with the mapping. */
    private volatile PageGuard guard;
    private volatile boolean closed;

    private MemoryMap(
        final int fd, final long address, final long size, final Access access, final int prot, final int flags,
        final long offset, final boolean trackFd, final boolean anonymous, final boolean regularFile)
    {
        this.access = access;
        this.prot = prot;
        this.flags = flags;
        this.offset = offset;
        this.trackFd = trackFd;
        this.anonymous = anonymous;
        this.guardMode = GuardMode.getDefault();
        this.state = new NativeMapping(fd, address, size, prot, flags, offset);
        final long page = Posix.pageSize();
        this.sharedAnonymousLimit = anonymous && 0 != (flags & Posix.MAP_SHARED)
            ? (size + page - 1) / page * page : Long.MAX_VALUE;
        publish(address, size);
        CLEANER.register(this, state);
        SearchWarmup.startOnce();
        if (anonymous)
        {
            state.allowRawAccess(true); // nothing can take anonymous pages away
        }
        else if (regularFile && -1 != fd)
        {
            state.watch(GuardMode.FAST == guardMode);
        }
    }

    /**
     * Maps a file descriptor, or anonymous memory, as Python's {@code mmap.mmap(fileno, length, flags,
     * prot, access, offset, trackfd=trackFd)} does on Unix.
     *
     * @param fd      an open file descriptor, or -1 for anonymous memory.
     * @param length  bytes to map; 0 maps the file from {@code offset} to its end.
     * @param flags   {@code MAP_SHARED} or {@code MAP_PRIVATE}, optionally or'ed with other MAP_ flags;
     *                must stay {@code MAP_SHARED} unless {@code access} is {@link Access#DEFAULT}.
     * @param prot    PROT_ bits; must stay read-write unless {@code access} is {@link Access#DEFAULT}.
     * @param access  the access mode; overrides flags and prot unless {@link Access#DEFAULT}.
     * @param offset  the file offset to map from; a multiple of {@link Posix#pageSize()}.
     * @param trackFd whether the map keeps its own duplicate of {@code fd} (needed by {@link #fileSize()}
     *                and {@link #resize(long)}).
     * @return the new map.
     * @throws IllegalArgumentException on a bad combination of arguments or sizes (CPython's wording).
     * @throws ErrnoException           when {@code fstat}, {@code dup} or {@code mmap} fails.
     */
    public static MemoryMap map(
        final int fd, final long length, final int flags, final int prot, final Access access, final long offset,
        final boolean trackFd)
    {
        final MapRequest request = MapRequest.of(fd, length, flags, prot, access, offset);
        final boolean anonymous = -1 == fd;
        final int ownFd = !anonymous && trackFd ? Syscalls.dup(fd) : -1;
        final long address;
        try
        {
            address = Syscalls.mmap(0, request.size(), request.prot(), request.flags(), fd, offset);
        }
        catch (final ErrnoException e)
        {
            NativeMapping.closeQuietly(ownFd);
            throw e;
        }
        return new MemoryMap(ownFd, address, request.size(), request.access(), request.prot(), request.flags(), offset,
            trackFd, anonymous, request.regularFile());
    }

    /**
     * Maps a file by its path: what Python's {@code mmap.mmap(f.fileno(), length, access=access,
     * offset=offset)} does over a file opened for reading ({@link Access#READ}, {@link Access#COPY}) or
     * for reading and writing ({@link Access#WRITE}, {@link Access#DEFAULT}). The map keeps a
     * descriptor of its own ({@code trackFd}); the one opened here is closed before this returns.
     *
     * @param path   the file to map.
     * @param length bytes to map; 0 maps the file from {@code offset} to its end.
     * @param access the access mode; {@link Access#DEFAULT} maps shared and read-write.
     * @param offset the file offset to map from; a multiple of {@link Posix#pageSize()}.
     * @return the new map.
     * @throws IllegalArgumentException as {@link #map(int, long, int, int, Access, long, boolean)}.
     * @throws ErrnoException           when {@code open}, {@code fstat}, {@code dup} or {@code mmap} fails
     *                                  (e.g. ENOENT, EACCES).
     */
    public static MemoryMap map(final Path path, final long length, final Access access, final long offset)
    {
        Objects.requireNonNull(access, "access");
        final boolean write = Access.WRITE == access || Access.DEFAULT == access;
        final int fd = Syscalls.open(path.toString(), (write ? Posix.O_RDWR : Posix.O_RDONLY) | Posix.O_CLOEXEC);
        try
        {
            return map(fd, length, Posix.MAP_SHARED, PROT_RW, access, offset, true);
        }
        finally
        {
            Syscalls.close(fd);
        }
    }

    /**
     * Maps {@code length} bytes of anonymous shared read-write memory.
     *
     * @param length bytes to map, at least 1.
     * @return the new map.
     */
    public static MemoryMap anonymous(final long length)
    {
        return map(-1, length, Posix.MAP_SHARED, PROT_RW, Access.DEFAULT, 0, true);
    }

    /**
     * @return how many zero-page guards closed, shrunk or moved maps hold in this process (each one
     * kernel mapping), until their maps become unreachable and are collected. For leak checks.
     */
    public static long guardsHeld()
    {
        return NativeMapping.GUARDS.get();
    }

    // --- attributes ------------------------------------------------------------------------------

    /**
     * @return the number of bytes mapped.
     */
    public long size()
    {
        return live().size;
    }

    /**
     * @return the access mode, resolved from {@code prot} when {@link Access#DEFAULT} was asked with
     * a read-only or write-only protection.
     */
    public Access access()
    {
        return access;
    }

    /**
     * @return the PROT_ bits the pages were mapped with.
     */
    public int prot()
    {
        return prot;
    }

    /**
     * @return the MAP_ flags the pages were mapped with.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * @return the file offset the map starts at.
     */
    public long offset()
    {
        return offset;
    }

    /**
     * @return whether the map is of anonymous memory.
     */
    public boolean isAnonymous()
    {
        return anonymous;
    }

    /**
     * @return whether the map keeps its own duplicate of the file descriptor.
     */
    public boolean tracksFd()
    {
        return trackFd;
    }

    /**
     * @return whether writes are allowed (every access mode but {@link Access#READ}).
     */
    public boolean isWritable()
    {
        return Access.READ != access;
    }

    /**
     * @return whether {@link #close()} has been called.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * @return the duplicated file descriptor the map owns, or -1 (anonymous, untracked or closed).
     */
    public int fd()
    {
        return state.fd();
    }

    /**
     * The current size of the mapped file, as {@code fstat} reports it.
     *
     * @return the file size in bytes.
     * @throws ErrnoException with EBADF when the map has no file descriptor (anonymous or untracked).
     */
    public long fileSize()
    {
        live();
        if (-1 == state.fd())
        {
            throw new ErrnoException("fstat", Posix.EBADF);
        }
        return Syscalls.fstat(state.fd()).size();
    }

    /**
     * Where the pages the file has lost begin, as the truncation watcher last saw: from this offset to
     * the end the map's pages are zero pages (raw reads see zeros, never a fault) and the accessors
     * raise {@code EFAULT}. A replacement in progress is waited for, so that a caller that sees an
     * offset here may read the raw memory there.
     *
     * @return the offset of the first lost page, or -1 when the file backs every page.
     */
    public long lostFrom()
    {
        final long lost = state.lostPagesFrom();
        return Long.MAX_VALUE == lost ? -1 : lost;
    }

    /**
     * A view of {@code [index, index + length)} of the live mapping. Once the map is resized or closed,
     * its pages may read as zeros (they never fault); take a new buffer after a resize. On JDK 22 and
     * later the buffer keeps the map's memory reserved while it is reachable; on older JDKs its user
     * must keep this map reachable meanwhile. ({@code MapSegment.of(map)} gives the whole map as a
     * {@code MemorySegment} on JDK 22 and later.)
     *
     * @param index  of the view's first byte.
     * @param length bytes in the view.
     * @return a direct buffer over the mapping; read-only for {@link Access#READ} maps.
     * @throws IndexOutOfBoundsException when the range is not within the map.
     */
    public ByteBuffer buffer(final long index, final int length)
    {
        final Live s = live();
        final ByteBuffer view = NativeMemory.buffer(s.at(index, length), length, this);
        return Access.READ == access ? view.asReadOnlyBuffer() : view;
    }

    /**
     * The raw address of the live mapping. Every range the map ever occupies stays reserved
     * (zero-filled once the map is closed, shrunk or moved) until this object is unreachable, so
     * memory lent out by address never faults while the borrower keeps this object reachable.
     *
     * @return the address of byte 0 of the mapping.
     */
    public long address()
    {
        return live().address;
    }

    // --- data access -----------------------------------------------------------------------------
    //
    // A page of a shared file map whose file another process has truncated raises SIGBUS when touched.
    // The JVM turns that fault, inside a native-memory access, into an InternalError, which these
    // methods report as ErrnoException(EFAULT): what read(2) or write(2) say when handed such memory.
    // Each access of a file-backed map ends with deliverPendingFault(), which makes the JVM throw that
    // error inside the try rather than at some later point in the caller (NativeMemory.deliverPendingFault).

    /**
     * @param index of the byte to read.
     * @return the byte at {@code index}.
     * @throws ErrnoException with EFAULT when the file no longer backs that page.
     */
    public byte get(final long index)
    {
        final Live s = live();
        checkBacked(index, 1);
        try
        {
            final byte value = NativeMemory.getByte(s.at(index, 1));
            deliverPendingFault();
            Reference.reachabilityFence(this); // the cleaner must not unmap what is being read
            checkBacked(index, 1); // the watcher may have replaced the pages meanwhile
            return value;
        }
        catch (final InternalError e)
        {
            throw pagesLost(e);
        }
    }

    /**
     * @param index of the byte to read.
     * @return the byte at {@code index}, from 0 to 255.
     * @throws ErrnoException with EFAULT when the file no longer backs that page.
     */
    public int getUnsigned(final long index)
    {
        return Byte.toUnsignedInt(get(index));
    }

    /**
     * @param index of the byte to write.
     * @param value the byte to store.
     * @throws ErrnoException with EFAULT when the file no longer backs that page.
     */
    public void put(final long index, final byte value)
    {
        checkWritable();
        final Live s = live();
        checkBacked(index, 1);
        try
        {
            NativeMemory.putByte(s.at(index, 1), value);
            deliverPendingFault();
            Reference.reachabilityFence(this);
            checkBacked(index, 1); // the watcher may have replaced the pages meanwhile
        }
        catch (final InternalError e)
        {
            throw pagesLost(e);
        }
    }

    /**
     * @param index of the byte to write.
     * @param value the byte to store, from 0 to 255 (higher bits are ignored).
     * @throws ErrnoException with EFAULT when the file no longer backs that page.
     */
    public void putUnsigned(final long index, final int value)
    {
        put(index, (byte) value);
    }

    /**
     * Copies bytes out of the map.
     *
     * @param index  of the first byte to copy.
     * @param dst    the array to copy into.
     * @param dstOff where in {@code dst} to start.
     * @param length how many bytes to copy.
     * @throws ErrnoException with EFAULT when the file no longer backs one of the pages.
     */
    public void get(final long index, final byte[] dst, final int dstOff, final int length)
    {
        final Live s = live();
        checkBacked(index, length);
        try
        {
            NativeMemory.copyToArray(s.at(index, length), dst, dstOff, length);
            deliverPendingFault();
            Reference.reachabilityFence(this);
            checkBacked(index, length); // the watcher may have replaced the pages meanwhile
        }
        catch (final InternalError e)
        {
            throw pagesLost(e);
        }
    }

    /**
     * Copies bytes into the map.
     *
     * @param index  of the first byte to write.
     * @param src    the array to copy from.
     * @param srcOff where in {@code src} to start.
     * @param length how many bytes to copy.
     * @throws ErrnoException with EFAULT when the file no longer backs one of the pages.
     */
    public void put(final long index, final byte[] src, final int srcOff, final int length)
    {
        checkWritable();
        final Live s = live();
        checkBacked(index, length);
        try
        {
            NativeMemory.copyFromArray(src, srcOff, s.at(index, length), length);
            deliverPendingFault();
            Reference.reachabilityFence(this);
            checkBacked(index, length); // the watcher may have replaced the pages meanwhile
        }
        catch (final InternalError e)
        {
            throw pagesLost(e);
        }
    }

    /**
     * Copies {@code count} bytes from {@code src} to {@code dest} within the map; the ranges may overlap.
     *
     * @param dest  offset of the destination.
     * @param src   offset of the source.
     * @param count bytes to move.
     * @throws ErrnoException with EFAULT when the file no longer backs one of the pages.
     */
    public void move(final long dest, final long src, final long count)
    {
        checkWritable();
        final Live s = live();
        checkBacked(Math.max(dest, src), count);
        try
        {
            NativeMemory.copy(s.at(src, count), s.at(dest, count), count);
            deliverPendingFault();
            Reference.reachabilityFence(this);
            checkBacked(Math.max(dest, src), count); // the watcher may have replaced the pages meanwhile
        }
        catch (final InternalError e)
        {
            throw pagesLost(e);
        }
    }

    /**
     * Checks that every page of {@code [index, index + length)} can be accessed, by reading a byte of
     * each. Call it before copying the range with native code (a raw address handed to C, or Python's
     * ctypes): there a vanished page kills the process, here it throws. Nothing to check for anonymous
     * maps, whose pages cannot vanish. A truncation racing the copy that follows is not covered.
     * The part of the range past the end of the map is not probed: only a resize racing the caller
     * leaves it there, and what lies past the end is a zero-page guard (see the class comment).
     *
     * @param index  of the first byte.
     * @param length bytes in the range.
     * @throws ErrnoException with EFAULT when the file no longer backs one of the pages.
     */
    public void probe(final long index, final long length)
    {
        final Live s = live();
        final long end = Math.min(index + length, s.size);
        if (anonymous || 0 > index || index >= end)
        {
            return;
        }
        checkBacked(index, end - index);
        try
        {
            PageGuard.touch(s.address, index, end);
            Reference.reachabilityFence(this);
        }
        catch (final InternalError e)
        {
            throw pagesLost(e);
        }
    }

    /**
     * Copies {@code length} bytes out of the map into this thread's transfer buffer, with the same
     * guard as {@link #get(long, byte[], int, int)}, for callers that read native memory faster than
     * a Java array (Python's ctypes on GraalPy). The buffer stays valid until this thread's next
     * {@code copyOut}, and is never unmapped, so reading it cannot fault.
     *
     * @param index  of the first byte to copy.
     * @param length how many bytes, at most {@link #TRANSFER_MAX}.
     * @return the address of the copy.
     * @throws ErrnoException with EFAULT when the file no longer backs one of the pages.
     */
    public long copyOut(final long index, final int length)
    {
        final Live s = live();
        checkBacked(index, length);
        final long from = s.at(index, length);
        final NativeBuffer buffer = Transfer.buffer(length);
        try
        {
            NativeMemory.copy(from, buffer.address(), length);
            deliverPendingFault();
            Reference.reachabilityFence(this);
            checkBacked(index, length); // the watcher may have replaced the pages meanwhile
        }
        catch (final InternalError e)
        {
            throw pagesLost(e);
        }
        return buffer.address();
    }

    /** The most bytes one {@link #copyOut(long, int)} takes; callers copy more in parts. */
    public static final int TRANSFER_MAX = Transfer.MAX;

    /**
     * The address of one byte that holds 1 while the map's raw address may be used for its common
     * operations without a call into Java, and 0 when every access must go through this class's
     * guarded methods: a map in {@link GuardMode#STRICT} mode, a file map whose file cannot be watched
     * (untracked descriptor, not a regular file, no inotify), one whose file has been truncated beneath
     * it, and a closed map. Anonymous maps hold 1 in both modes. The truncation watcher clears the
     * byte once it has replaced lost pages by zero pages (the methods of this class refuse them from
     * the moment it hears of the truncation), so a 0 seen after a truncation means that raw buffers
     * read zeros there. The byte lives as long as this object.
     *
     * @return the address of the flag byte.
     */
    public long rawAccessAddress()
    {
        return state.rawFlag.address();
    }

    /**
     * @return the guard mode this map was made with ({@link GuardMode#getDefault()} at the time).
     */
    public GuardMode guardMode()
    {
        return guardMode;
    }

    // --- search ----------------------------------------------------------------------------------

    /**
     * @param needle the bytes to look for.
     * @param from   the first offset a match may start at.
     * @param to     the offset a match must end at or before.
     * @return the offset of the first match in {@code [from, to)}, or -1.
     * @throws ErrnoException with EFAULT when the file no longer backs a page searched.
     */
    public long find(final byte[] needle, final long from, final long to)
    {
        final Live s = live();
        final long lost = state.lostFrom;
        try
        {
            if (to > lost && needle.length <= to - from)
            {
                // A scan meets the lost pages after what lies before them (see checkBacked).
                final long at = from + needle.length <= lost ? scan(s.address, lost, from, lost, needle, false) : -1;
                deliverPendingFault();
                if (0 > at)
                {
                    throw lostPages();
                }
                return at;
            }
            final long at = scan(s.address, s.size, from, to, needle, false);
            deliverPendingFault();
            final long lostNow = state.lostFrom; // the watcher may have replaced pages during the scan
            if (to > lostNow && needle.length <= to - from && (0 > at || at + needle.length > lostNow))
            {
                throw lostPages();
            }
            return at;
        }
        catch (final InternalError e)
        {
            throw pagesLost(e);
        }
    }

    /**
     * @param needle the bytes to look for.
     * @param from   the first offset a match may start at.
     * @param to     the offset a match must end at or before.
     * @return the offset of the last match in {@code [from, to)}, or -1.
     * @throws ErrnoException with EFAULT when the file no longer backs a page searched.
     */
    public long rfind(final byte[] needle, final long from, final long to)
    {
        final Live s = live();
        if (to > state.lostFrom && needle.length <= to - from)
        {
            throw lostPages(); // a backward scan meets the lost pages first
        }
        try
        {
            final long at = scan(s.address, s.size, from, to, needle, true);
            deliverPendingFault();
            if (to > state.lostFrom && needle.length <= to - from)
            {
                throw lostPages(); // the watcher replaced pages during the scan, which met them first
            }
            return at;
        }
        catch (final InternalError e)
        {
            throw pagesLost(e);
        }
    }

    /**
     * {@link #find} of one byte, to the end of the map (readline's search).
     *
     * @param value the byte to look for.
     * @param from  the offset to start at.
     * @return the offset of the first {@code value} at or after {@code from}, or -1.
     * @throws ErrnoException with EFAULT when the file no longer backs a page searched.
     */
    public long indexOf(final byte value, final long from)
    {
        return find(new byte[] {value}, from, live().size);
    }

    /**
     * Whether searches hand C copies rather than the map (see {@link CopiedSearch}): strict file maps,
     * where a racing truncation must give EFAULT even inside a search.
     */
    private boolean copied()
    {
        return GuardMode.STRICT == guardMode && !anonymous;
    }

    /** A search of {@code [from, to)} of the memory at {@code base}, direct or over copies as this map's mode asks. */
    private long scan(final long base, final long size, final long from, final long to, final byte[] needle,
        final boolean backward)
    {
        final long at = MapSearch.search(base, size, from, to, needle, guard, copied(), backward);
        Reference.reachabilityFence(this); // the cleaner must not unmap what is being searched
        return at;
    }

    /** Throws here a fault pending from this thread's last access; anonymous pages cannot fault. */
    private void deliverPendingFault()
    {
        if (!anonymous)
        {
            NativeMemory.deliverPendingFault();
        }
    }

    /**
     * Refuses, with the EFAULT a fault would give, an access reaching pages that the truncation watcher
     * found lost and replaced by zeros. Before the watcher reacts the access itself faults, with the
     * same result.
     */
    private void checkBacked(final long index, final long length)
    {
        if (index + length > state.lostFrom && 0 < length)
        {
            throw lostPages();
        }
    }

    private static ErrnoException lostPages()
    {
        return new ErrnoException("access to a mapped page", Posix.EFAULT);
    }

    /** The exception for a fault in a memory access; anything else the JVM calls internal is rethrown. */
    private static ErrnoException pagesLost(final InternalError e)
    {
        if (!PageGuard.isMemoryFault(e))
        {
            throw e;
        }
        final ErrnoException lost = new ErrnoException("access to a mapped page", Posix.EFAULT);
        lost.initCause(e);
        return lost;
    }

    // --- operations on the mapping ---------------------------------------------------------------

    /**
     * Writes changed pages in {@code [from, from + length)} back to the file ({@code msync(MS_SYNC)}).
     * A no-op for {@link Access#READ} and {@link Access#COPY} maps, whose pages never reach the file.
     *
     * @param from   offset of the first byte; must be a multiple of the page size.
     * @param length bytes to flush.
     */
    public void flush(final long from, final long length)
    {
        flush(from, length, Posix.MS_SYNC);
    }

    /**
     * Writes changed pages in {@code [from, from + length)} back to the file with {@code msync}'s
     * {@code flags}, as CPython 3.15's {@code flush(offset, size, flags=...)}. A no-op for
     * {@link Access#READ} and {@link Access#COPY} maps, whose pages never reach the file.
     *
     * @param from   offset of the first byte; must be a multiple of the page size.
     * @param length bytes to flush.
     * @param flags  {@link Posix#MS_SYNC} or {@link Posix#MS_ASYNC}, optionally with
     *               {@link Posix#MS_INVALIDATE}; 0 means {@link Posix#MS_SYNC}.
     * @throws ErrnoException with EINVAL for other flags or an unaligned {@code from}.
     */
    public synchronized void flush(final long from, final long length, final int flags)
    {
        final Live s = live();
        s.at(from, length); // the range must lie within the map
        if (Access.READ == access || Access.COPY == access)
        {
            return;
        }
        Syscalls.msync(s.address + from, length, 0 == flags ? Posix.MS_SYNC : flags);
    }

    /**
     * Names the anonymous memory of this map in {@code /proc/<pid>/maps} ({@code prctl(PR_SET_VMA,
     * PR_SET_VMA_ANON_NAME, ...)}): it then shows as {@code [anon:NAME]}, or {@code [anon_shmem:NAME]}
     * for shared anonymous memory (Linux 6.2 and later). What CPython 3.15's {@code set_name} does,
     * with the {@code cpython:mmap:} prefix left to the caller.
     *
     * @param name the name: at most 79 bytes in UTF-8.
     * @throws IllegalArgumentException when the map is not anonymous or the name is too long (CPython's
     *                                  wording).
     * @throws ErrnoException           when the kernel refuses: EINVAL from a kernel without
     *                                  CONFIG_ANON_VMA_NAME (older than 5.17, or built without it), or
     *                                  for characters it does not accept.
     */
    public synchronized void setAnonymousName(final String name)
    {
        Objects.requireNonNull(name, "name");
        final Live s = live();
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ANONYMOUS_NAME)
        {
            throw new IllegalArgumentException("name is too long");
        }
        if (!anonymous)
        {
            throw new IllegalArgumentException("Cannot set annotation on non-anonymous mappings");
        }
        Syscalls.nameAnonymousMemory(s.address, s.size, name);
    }

    /** The longest name the kernel takes for anonymous memory, in bytes without the NUL (80 with it). */
    private static final int MAX_ANONYMOUS_NAME = 79;

    /**
     * Passes advice about {@code [from, from + length)} to the kernel ({@code madvise}).
     *
     * @param advice one of the MADV_ values.
     * @param from   offset of the first byte; must be a multiple of the page size.
     * @param length bytes the advice covers.
     */
    public synchronized void madvise(final int advice, final long from, final long length)
    {
        final Live s = live();
        s.at(from, length); // the range must lie within the map
        Syscalls.madvise(s.address + from, length, advice);
    }

    /**
     * Changes the size of the map; a file-backed map also sets the file's size to
     * {@code offset + newSize}, as CPython does. Unlike CPython, a failure leaves the file as it was.
     *
     * @param newSize the new size in bytes, at least 1.
     * @throws UnsupportedOperationException for {@link Access#READ} and {@link Access#COPY} maps, and
     *                                       for file-backed maps that do not track their descriptor.
     * @throws IllegalArgumentException      when growing shared anonymous memory past its first pages
     *                                       (Linux cannot; CPython 3.13.0 crashes with SIGBUS there).
     * @throws ErrnoException                with EINVAL for a size of 0, or when a system call fails.
     */
    public synchronized void resize(final long newSize)
    {
        final Live s = live();
        if (Access.WRITE != access && Access.DEFAULT != access)
        {
            throw new UnsupportedOperationException("a read-only or copy-on-write map cannot be resized");
        }
        if (!anonymous && -1 == state.fd())
        {
            throw new UnsupportedOperationException("a map that does not track its file descriptor cannot be resized");
        }
        if (0 > newSize)
        {
            throw new IllegalArgumentException("new size out of range");
        }
        if (0 == newSize)
        {
            throw new ErrnoException("mremap", Posix.EINVAL); // what mremap says, but before any damage
        }
        if (newSize > sharedAnonymousLimit)
        {
            throw new IllegalArgumentException("mmap: can't expand a shared anonymous mapping on Linux");
        }
        final long oldSize = s.size;
        if (newSize == oldSize)
        {
            if (!anonymous)
            {
                Syscalls.ftruncate(state.fd(), offset + newSize);
                state.fileChanged();
            }
            return;
        }
        // Growing a file-backed map extends the file first; the old size is kept to restore on failure.
        final boolean growsFile = !anonymous && newSize > oldSize;
        final long oldFileSize = growsFile ? Syscalls.fstat(state.fd()).size() : 0;
        if (growsFile)
        {
            Syscalls.ftruncate(state.fd(), offset + newSize);
            state.fileChanged(); // pages a truncation took are backed again: one mapping to remap
        }
        try
        {
            state.remap(newSize, prot, flags, offset, !anonymous && 0 != (flags & Posix.MAP_SHARED));
        }
        catch (final ErrnoException e)
        {
            if (growsFile)
            {
                Syscalls.ftruncate(state.fd(), oldFileSize);
            }
            throw e;
        }
        publish(state.address(), state.size());
        if (!anonymous && newSize < oldSize)
        {
            Syscalls.ftruncate(state.fd(), offset + newSize);
        }
        if (!anonymous)
        {
            state.fileChanged();
        }
    }

    /**
     * Unmaps the memory and closes the duplicated descriptor. Idempotent. The pages are replaced by
     * zero pages, released when this object and its buffers are unreachable.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        live = null;
        state.unmap();
    }

    /**
     * Unmaps the memory and closes the duplicated descriptor at once, without the zero-page guard of
     * {@link #close()}: for an owner that knows that no raw address into the map ({@link #address()},
     * a {@link #buffer} or a view built on them) is used after this call and that no other thread
     * is inside an access of this map, such as the window manager unmapping a window nobody uses.
     * A read through a stale raw address would fault instead of reading zeros; in exchange nothing
     * stays reserved until this object is collected. Idempotent; after {@link #close()} it does
     * nothing.
     */
    public synchronized void closeWithoutGuard()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        live = null;
        state.unmapWithoutGuard();
    }

    // --- internals -------------------------------------------------------------------------------

    private Live live()
    {
        final Live s = live;
        if (null == s)
        {
            throw new IllegalStateException("mmap closed or invalid");
        }
        return s;
    }

    private void checkWritable()
    {
        if (Access.READ == access)
        {
            throw new UnsupportedOperationException("mmap can't modify a readonly memory map.");
        }
    }

    /** Makes [address, address + size) the live mapping. */
    private void publish(final long address, final long size)
    {
        guard = anonymous ? PageGuard.NONE : -1 == state.fd() ? PageGuard.TOUCH : PageGuard.ofFile(state.fd(), offset, size);
        live = new Live(address, size);
    }

    /** The live mapping's place: replaced whole by a resize, so that an access sees one or the other. */
    private static final class Live
    {
        final long address;
        final long size;

        Live(final long address, final long size)
        {
            this.address = address;
            this.size = size;
        }

        /** The address of {@code [index, index + length)}, which must lie within the mapping. */
        long at(final long index, final long length)
        {
            if (0 > index || 0 > length || index > size - length)
            {
                throw new IndexOutOfBoundsException("index=" + index + " length=" + length + " size=" + size);
            }
            return address + index;
        }
    }
}
