package dev.unroll.nn.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that readers see either the old content or the complete new content, never
 * a half-written file: the bytes go to a temporary file in the same directory, are forced to
 * disk, the temporary file is renamed over the target, and the directory is forced to disk so
 * the rename itself survives a crash (where the platform allows opening a directory).
 *
 * <p>A save that was killed leaves its temporary file ({@code .<name>.<digits>.tmp}) behind; the
 * next save of the same file deletes every such file first, so two processes must not save one
 * file at the same time (they would overwrite each other's result anyway).
 *
 * <p>The temporary file is created like any new file (not with the owner-only permissions of
 * {@link Files#createTempFile}), so the checkpoint gets the permissions the user's umask gives
 * every new file.
 */
final class AtomicFile {

    private static final SecureRandom NAMES = new SecureRandom();

    /** Writes the content to a stream; may throw, in which case the target is left as it was. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        String name = absolute.getFileName().toString();
        deleteLeftovers(dir, name);
        Path temp = createTemporary(dir, name);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes the temporary files that killed saves of this name left in the directory. */
    private static void deleteLeftovers(Path dir, String name) throws IOException {
        String prefix = "." + name + ".";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, entry -> isLeftover(entry, prefix))) {
            for (Path leftover : entries) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    private static boolean isLeftover(Path entry, String prefix) {
        String file = entry.getFileName().toString();
        if (!file.startsWith(prefix) || !file.endsWith(".tmp") || file.length() <= prefix.length() + 4) {
            return false;
        }
        return file.substring(prefix.length(), file.length() - 4).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Creates a new empty file beside the target, with the permissions of any new file. */
    private static Path createTemporary(Path dir, String name) throws IOException {
        while (true) {
            Path candidate = dir.resolve("." + name + "." + Long.toUnsignedString(NAMES.nextLong()) + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                // another writer's temporary file: draw another name
            }
        }
    }

    /** Forces a directory's entries to disk; skipped where directories cannot be opened (Windows). */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // the platform does not allow syncing a directory; the rename is then as durable as it gets
        }
    }
}
