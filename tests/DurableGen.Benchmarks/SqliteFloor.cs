using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.Data.Sqlite;

namespace DurableGen.Benchmarks;

/// <summary>
/// <c>--sqlite-floor</c>: what SQLite itself costs per transaction on this machine, without the service around it.
/// Rows shaped like one checkpoint's commit of the execution store (an upsert of a 2 KB execution row, an operation
/// row, two event rows, keyed by ARN-long strings over 3,000 executions), and, for comparison, the same bytes appended
/// as one journal row, each through prepared Microsoft.Data.Sqlite commands on a WAL database with
/// <c>synchronous=FULL</c>. Alternates the two layouts for <c>--rounds</c> rounds of <c>--transactions</c> each and
/// prints the medians of wall and CPU time per transaction: the floor the store's per-commit cost is measured against.
/// </summary>
internal static class SqliteFloor
{
    public static int Run(string[] args)
    {
        var transactions = Measurement.PositiveOption(args, "--transactions", 2000);
        var rounds = Measurement.PositiveOption(args, "--rounds", 3);
        var directory = Directory.CreateTempSubdirectory("durablegen-sqlite-floor-").FullName;
        try
        {
            using var rows = Open(Path.Combine(directory, "rows.db"));
            using var journal = Open(Path.Combine(directory, "journal.db"));
            var arns = Enumerable.Range(0, 3000)
                .Select(_ => $"arn:aws:lambda:us-east-1:123456789012:function:five-steps:$LATEST/durable-execution/{Guid.NewGuid()}/{Guid.NewGuid()}")
                .ToArray();
            var rowsLayout = new RowsLayout(rows, arns);
            var journalLayout = new JournalLayout(journal);
            rowsLayout.Run(transactions); // fills the tables, as a service that has run for a while
            journalLayout.Run(transactions);

            Console.WriteLine($"SQLite per transaction (WAL, synchronous=FULL), {transactions} transactions, median of {rounds} rounds");
            Console.WriteLine($"load average before: {Measurement.LoadAverage()}");
            var results = Enumerable.Range(0, rounds)
                .Select(_ => (Rows: Time(() => rowsLayout.Run(transactions), transactions), Journal: Time(() => journalLayout.Run(transactions), transactions)))
                .ToList();
            Console.WriteLine();
            Console.WriteLine("| Layout | Wall ms/transaction | CPU ms/transaction |");
            Console.WriteLine("|--------|--------------------:|-------------------:|");
            Print("store rows (2 KB execution row, operation, 2 events)", results.Select(r => r.Rows).ToList());
            Print("one journal row of the same bytes", results.Select(r => r.Journal).ToList());
            Console.WriteLine($"load average after: {Measurement.LoadAverage()}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Print(string label, System.Collections.Generic.List<(double Wall, double Cpu)> results) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {Measurement.Median(results.Select(r => r.Wall)):0.000} | {Measurement.Median(results.Select(r => r.Cpu)):0.000} |"));

    private static (double Wall, double Cpu) Time(Action run, int transactions)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        run();
        var wall = clock.Elapsed.TotalMilliseconds / transactions;
        self.Refresh();
        return (wall, (self.TotalProcessorTime - cpu).TotalMilliseconds / transactions);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            PRAGMA cache_size=-32768;
            CREATE TABLE executions (arn TEXT PRIMARY KEY, record TEXT NOT NULL);
            CREATE TABLE operations (arn TEXT NOT NULL, position INTEGER NOT NULL, operation TEXT NOT NULL,
                PRIMARY KEY (arn, position)) WITHOUT ROWID;
            CREATE TABLE events (arn TEXT NOT NULL, position INTEGER NOT NULL, event TEXT NOT NULL,
                PRIMARY KEY (arn, position)) WITHOUT ROWID;
            CREATE TABLE journal (seq INTEGER PRIMARY KEY, rows BLOB NOT NULL);
            """);
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private sealed class RowsLayout(SqliteConnection connection, string[] arns)
    {
        private readonly SqliteCommand _execution = Prepare(connection,
            "INSERT INTO executions VALUES ($a, $r) ON CONFLICT (arn) DO UPDATE SET record = excluded.record;", "$a", "$r");
        private readonly SqliteCommand _operation = Prepare(connection,
            "INSERT INTO operations VALUES ($a, $p, $j) ON CONFLICT (arn, position) DO UPDATE SET operation = excluded.operation;",
            "$a", "$p", "$j");
        private readonly SqliteCommand _event = Prepare(connection, "INSERT OR REPLACE INTO events VALUES ($a, $p, $j);", "$a", "$p", "$j");
        private readonly string _record = new('r', 2000);
        private readonly string _operationJson = new('o', 280);
        private readonly string _eventJson = new('e', 240);
        private int _next;

        public void Run(int transactions)
        {
            for (var i = 0; i < transactions; i++, _next++)
            {
                var arn = arns[_next * 7919 % arns.Length];
                var position = _next % 7;
                using var transaction = connection.BeginTransaction();
                Bind(_execution, transaction, arn, _record);
                Bind(_operation, transaction, arn, position, _operationJson);
                Bind(_event, transaction, arn, 2 * position, _eventJson);
                Bind(_event, transaction, arn, 2 * position + 1, _eventJson);
                transaction.Commit();
            }
        }

        private static void Bind(SqliteCommand command, SqliteTransaction transaction, params object[] values)
        {
            command.Transaction = transaction;
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }

            command.ExecuteNonQuery();
        }
    }

    private sealed class JournalLayout(SqliteConnection connection)
    {
        private readonly SqliteCommand _append = Prepare(connection, "INSERT INTO journal (rows) VALUES ($b);", "$b");
        private readonly byte[] _rows = new byte[2000 + 280 + 2 * 240 + 4 * 160]; // the same rows, ARNs included

        public void Run(int transactions)
        {
            for (var i = 0; i < transactions; i++)
            {
                using var transaction = connection.BeginTransaction();
                _append.Transaction = transaction;
                _append.Parameters[0].Value = _rows;
                _append.ExecuteNonQuery();
                transaction.Commit();
            }
        }
    }
}
