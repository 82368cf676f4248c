using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The service watches no files: it reads no configuration file, and a watch on the working directory (the
/// user's project) costs an inotify watch per folder under it, past the system's limit in a large project.</summary>
public sealed class FileWatchTests
{
    [Fact]
    public async Task Starting_a_service_adds_no_inotify_watch()
    {
        Assert.True(Directory.EnumerateDirectories(Directory.GetCurrentDirectory(), "*", SearchOption.AllDirectories).Any(),
            "The test needs folders under its working directory to tell a recursive watch from none.");
        var before = InotifyWatches();

        await using var service = await TestService.StartAsync(options => options.Functions.Clear());
        using var answer = await service.Http.GetAsync(new Uri(service.Service.BaseAddress!, "local/executions"));

        Assert.Equal(before, InotifyWatches());
    }

    /// <summary>The inotify watches this process holds (Linux: the <c>inotify wd:</c> lines of its inotify descriptors).</summary>
    private static int InotifyWatches()
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string target;
            try
            {
                target = new FileInfo(fd).LinkTarget ?? "";
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }

            if (target.Contains("inotify", StringComparison.Ordinal))
            {
                count += File.ReadLines(Path.Combine("/proc/self/fdinfo", Path.GetFileName(fd)))
                    .Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
        }

        return count;
    }
}
