using System;
using System.Text;

namespace DurableGen.Client;

/// <summary>Builds a restJson1 query string: keys in the order added, values percent-encoded, unset members omitted.</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder _builder = new();

    public QueryBuilder Add(string key, string? value)
    {
        if (value is not null)
        {
            _builder.Append(_builder.Length == 0 ? '?' : '&').Append(AwsEncoding.Label(key)).Append('=')
                .Append(AwsEncoding.Label(value));
        }

        return this;
    }

    public QueryBuilder Add(string key, int? value) =>
        value is { } v ? Add(key, AwsRestTransport.FormatInvariant(v)) : this;

    public QueryBuilder Add(string key, bool? value) =>
        value is { } v ? Add(key, AwsRestTransport.FormatInvariant(v)) : this;

    public QueryBuilder Add(string key, DateTimeOffset? value) =>
        value is { } v ? Add(key, AwsEncoding.Timestamp(v)) : this;

    public override string ToString() => _builder.ToString();
}
