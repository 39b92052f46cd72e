package dev.fmmap;

import dev.fmmap.memory.NativeBuffer;
import dev.fmmap.memory.NativeMemory;
import dev.fmmap.syscalls.Syscalls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The native resources, kept apart from {@link MemoryMap} so that its arena's cleanup can release
 * them once the map and its segments are unreachable: the live mapping, the descriptor, and the
 * zero-page guards that keep every range the map left reserved.
 */
final class NativeMapping implements Runnable, TruncationWatcher.Listener
{
    private static final int PROT_RW = Posix.PROT_READ | Posix.PROT_WRITE;
    /** Guards alive in the whole process; each costs a kernel mapping (vm.max_map_count). */
    static final AtomicLong GUARDS = new AtomicLong();
    /** Every this many guards, ask for a collection so that unreachable maps release theirs. */
    private static final long GC_EVERY = 4096;

    private int fd;
    private long address;
    private long size;
    private boolean mapped = true;
    /** Address/length pairs of the zero-page guards this map owns. */
    private final List<long[]> guards = new ArrayList<>();
    private final int prot;
    private final int flags;
    private final long offset;
    /**
     * The offset of the first page the file no longer backs, replaced by zero pages (lost to a
     * truncation); {@code Long.MAX_VALUE} while the file backs the whole map.
     */
    volatile long lostFrom = Long.MAX_VALUE;
    /**
     * {@link MemoryMap#rawAccessAddress()}'s byte, in memory of its own: the map's cleanup is this object,
     * which must not keep the map reachable.
     */
    final NativeBuffer rawFlag = NativeBuffer.allocate(8);
    /** Whether the raw address may be used while the file backs the whole map (FAST mode). */
    private boolean rawAllowed;
    private TruncationWatcher.Registration watch;

    NativeMapping(final int fd, final long address, final long size, final int prot, final int flags,
        final long offset)
    {
        this.fd = fd;
        this.address = address;
        this.size = size;
        this.prot = prot;
        this.flags = flags;
        this.offset = offset;
    }

    /** The map's own descriptor (-1 for anonymous memory, an untracked file, or once closed). */
    int fd()
    {
        return fd;
    }

    /** The live mapping's address and size, as the last remap left them. */
    long address()
    {
        return address;
    }

    long size()
    {
        return size;
    }

    synchronized void allowRawAccess(final boolean allowed)
    {
        rawAllowed = allowed;
        NativeMemory.putByte(rawFlag.address(), (byte)(allowed && mapped && Long.MAX_VALUE == lostFrom ? 1 : 0));
    }

    /**
     * Starts watching the file for truncations (the watcher replaces lost pages in both modes, so
     * that raw buffers read zeros), and allows raw access in FAST mode where the watch holds.
     */
    synchronized void watch(final boolean fast)
    {
        watch = TruncationWatcher.watch(fd, this);
        fileChanged(); // a truncation before the watch began
        allowRawAccess(fast && null != watch);
    }

    /**
     * Compares the file's size with the map's extent: replaces the pages it no longer backs by zero
     * pages (then clears the raw-access flag), or maps the file again over such pages once it
     * backs them again.
     */
    @Override
    public synchronized void fileChanged()
    {
        if (!mapped || -1 == fd)
        {
            return;
        }
        final long fileSize = Syscalls.fileSizeOrMinus1(fd);
        if (0 > fileSize)
        {
            return;
        }
        final long page = Syscalls.PAGE_SIZE;
        final long backed = Math.max(0, fileSize - offset);
        final long backedPages = backed >= size ? size : Math.min(size, (backed + page - 1) / page * page);
        final long lost = Math.min(lostFrom, size);
        if (backedPages < lost)
        {
            // The core's accessors refuse the lost pages first; the raw-access flag clears once
            // they are zero pages, so that a 0 there means raw buffers can no longer fault.
            lostFrom = backedPages;
            try
            {
                Syscalls.mmap(address + backedPages, lost - backedPages, PROT_RW,
                    Posix.MAP_FIXED | Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS | Posix.MAP_NORESERVE, -1, 0);
            }
            catch (final ErrnoException e)
            {
                // ENOMEM (map count): accesses still fail with EFAULT through lostFrom
            }
            NativeMemory.putByte(rawFlag.address(), (byte)0);
        }
        else if (backedPages > lost)
        {
            try
            {
                Syscalls.mmap(address + lost, backedPages - lost, prot, flags | Posix.MAP_FIXED, fd,
                    offset + lost);
            }
            catch (final ErrnoException e)
            {
                return; // still zero pages: still lost
            }
            lostFrom = backedPages >= size ? Long.MAX_VALUE : backedPages;
            allowRawAccess(rawAllowed);
        }
    }

    /** {@link #lostFrom} once any replacement of pages in progress ({@link #fileChanged}) is done. */
    synchronized long lostPagesFrom()
    {
        return lostFrom;
    }

    @Override
    public synchronized void watchLost()
    {
        watch = null;
        NativeMemory.putByte(rawFlag.address(), (byte)0);
    }

    private void stopWatching()
    {
        NativeMemory.putByte(rawFlag.address(), (byte)0);
        if (null != watch)
        {
            watch.cancel();
            watch = null;
        }
    }

    /** Replaces {@code [addr, addr + len)} by zero pages; {@code fixed} overwrites what is there. */
    private void guard(final long addr, final long len, final boolean fixed)
    {
        final int how = fixed ? Posix.MAP_FIXED : Posix.MAP_FIXED_NOREPLACE;
        try
        {
            Syscalls.mmap(addr, len, PROT_RW,
                how | Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS | Posix.MAP_NORESERVE, -1, 0);
        }
        catch (final ErrnoException e)
        {
            // EEXIST: another mapping took the range between our mremap and this call; it is no
            // longer ours to reserve. Anything else leaves the range as the kernel has it.
            return;
        }
        guards.add(new long[] {addr, len});
        if (0 == GUARDS.incrementAndGet() % GC_EVERY)
        {
            System.gc();
        }
    }

    /** Moves the live mapping to {@code newSize} bytes, keeping the ranges it leaves reserved. */
    synchronized void remap(final long newSize, final int prot, final int flags, final long offset,
        final boolean sharedFile)
    {
        if (newSize < size)
        {
            guard(address + newSize, size - newSize, true);
            size = newSize;
            return;
        }
        try
        {
            address = Syscalls.mremap(address, size, newSize, 0); // grow in place when the room is free
            size = newSize;
            return;
        }
        catch (final ErrnoException e)
        {
            // ENOMEM: no room after the map; EFAULT: the range spans several kernel mappings (pages
            // a truncation took were replaced), which a shared file map can be mapped afresh over.
            if (Posix.ENOMEM != e.errno() && !(Posix.EFAULT == e.errno() && sharedFile))
            {
                throw e;
            }
        }
        if (sharedFile)
        {
            // Map the file afresh, then overwrite the old range atomically: never a moment unmapped.
            final long fresh = Syscalls.mmap(0, newSize, prot, flags, fd, offset);
            guard(address, size, true);
            address = fresh;
        }
        else
        {
            // Anonymous or private pages hold their data: move them. The old range is unmapped
            // for the moment between mremap and the guard (documented in docs/design.md).
            final long oldAddress = address;
            final long oldSize = size;
            address = Syscalls.mremap(address, size, newSize, Posix.MREMAP_MAYMOVE);
            guard(oldAddress, oldSize, false);
        }
        size = newSize;
    }

    /** Replaces the live mapping by zero pages and closes the descriptor. */
    synchronized void unmap()
    {
        stopWatching();
        if (mapped)
        {
            mapped = false;
            guard(address, size, true);
        }
        closeFd();
    }

    /** Unmaps the live mapping, leaving nothing reserved, and closes the descriptor. */
    synchronized void unmapWithoutGuard()
    {
        stopWatching();
        if (mapped)
        {
            mapped = false;
            Syscalls.munmap(address, size);
        }
        closeFd();
    }

    private void closeFd()
    {
        if (-1 != fd)
        {
            closeQuietly(fd);
            fd = -1;
        }
    }

    @Override
    public synchronized void run()
    {
        stopWatching();
        try
        {
            if (mapped)
            {
                mapped = false;
                Syscalls.munmap(address, size);
            }
            for (final long[] g : guards)
            {
                Syscalls.munmap(g[0], g[1]);
            }
            GUARDS.addAndGet(-guards.size());
            guards.clear();
        }
        catch (final ErrnoException ignored)
        {
            // a cleanup has no caller to report to
        }
        closeFd();
    }

    /** Closes a descriptor on a path that is already failing or cleaning up. */
    static void closeQuietly(final int fd)
    {
        if (-1 != fd)
        {
            try
            {
                Syscalls.close(fd);
            }
            catch (final ErrnoException ignored)
            {
                // nothing useful to report: the caller is already failing
            }
        }
    }
}
