namespace DurableGen.Conformance.Running;

/// <summary>Where the conformance runner runs each requirement.</summary>
public enum ConformanceHostKind
{
    /// <summary>In this process: the engine behind the kit's in-process invoker (<c>--host in-process</c>).</summary>
    InProcess,

    /// <summary>
    /// The HTTP local service on 127.0.0.1: every invocation goes through the runtime's Lambda Runtime API loop, every
    /// checkpoint, state read, management read and callback send over HTTP (<c>--host http</c>).
    /// </summary>
    Http,
}
