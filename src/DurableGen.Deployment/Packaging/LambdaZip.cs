using System;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;

namespace DurableGen.Deployment;

/// <summary>
/// A Lambda deployment package holding one executable, <c>bootstrap</c>, at the archive root with mode 0755 (the
/// custom runtime executes it), written the same way every time: fixed timestamp, fixed attributes, so the same binary
/// gives the same zip and the same <c>CodeSha256</c>.
/// </summary>
public static class LambdaZip
{
    /// <summary>The entry name the provided.al2023 runtime starts.</summary>
    public const string EntryName = "bootstrap";

    // Regular file (0x8000) with rwxr-xr-x (0755), in the high 16 bits as Unix zip tools expect.
    private const int UnixExecutable = unchecked((int)(0x81EDu << 16));
    private static readonly DateTimeOffset Epoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="executable"/> as <see cref="EntryName"/> into a new zip at <paramref name="zipPath"/>
    /// and returns its SHA-256, base64, as Lambda reports <c>CodeSha256</c>.</summary>
    public static string Write(string executable, string zipPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(zipPath))!);
        using (var file = new FileStream(zipPath, FileMode.Create, FileAccess.Write))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            var entry = zip.CreateEntry(EntryName, CompressionLevel.Optimal);
            entry.LastWriteTime = Epoch;
            entry.ExternalAttributes = UnixExecutable;
            using var output = entry.Open();
            using var input = File.OpenRead(executable);
            input.CopyTo(output);
        }

        using var written = File.OpenRead(zipPath);
        return Convert.ToBase64String(SHA256.HashData(written));
    }
}
