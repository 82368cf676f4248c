namespace DurableGen;

/// <summary>The instruction set a Lambda function runs on; <c>durablegen package</c> builds one Native AOT zip per
/// architecture the project's functions use.</summary>
public enum LambdaArchitecture
{
    /// <summary>x86_64 (<c>linux-x64</c>), Lambda's default.</summary>
    X86_64 = 0,

    /// <summary>arm64 (<c>linux-arm64</c>, AWS Graviton): about 20 % cheaper per GB-second than x86_64.</summary>
    Arm64 = 1,
}
