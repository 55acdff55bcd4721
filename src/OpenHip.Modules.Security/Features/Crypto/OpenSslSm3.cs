using System.Runtime.InteropServices;
using Org.BouncyCastle.Crypto.Digests;

namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>
/// SM3 from the platform's OpenSSL 3 <c>libcrypto</c>, when it has one that provides SM3 and agrees with BouncyCastle.
/// </summary>
/// <remarks>
/// Written by hand around four OpenSSL calls because no NuGet package served here binds them. Every audited read
/// hashes its chain link on the request's path, and OpenSSL's SM3 takes 0.65–0.73 of BouncyCastle's time for it
/// (docs/performance.md, "Thirtieth look"). BouncyCastle stays the reference: <see cref="Load"/> compares the two on
/// the GB/T 32905 vectors and on inputs of every length up to three blocks, and <see cref="Sm3"/> uses BouncyCastle
/// when this is unavailable, disagrees, or is turned off with <c>OPENHIP_SM3=bouncycastle</c>.
/// </remarks>
internal sealed unsafe class OpenSslSm3
{
    private static readonly string[] LibraryNames = ["libcrypto.so.3", "libcrypto.3.dylib", "libcrypto-3-x64.dll", "libcrypto-3.dll"];

    private readonly nint _md;
    private readonly delegate* unmanaged<nint> _newContext;
    private readonly delegate* unmanaged<nint, void> _freeContext;
    private readonly delegate* unmanaged<nint, nint, nint, int> _init;
    private readonly delegate* unmanaged<nint, byte*, nuint, int> _update;
    private readonly delegate* unmanaged<nint, byte*, uint*, int> _final;

    // One context per thread, as BouncyCastle's digest is kept: fetching the algorithm and allocating a context per hash
    // cost more than the hash.
    [ThreadStatic]
    private static Context? _context;

    private OpenSslSm3(
        nint md,
        delegate* unmanaged<nint> newContext,
        delegate* unmanaged<nint, void> freeContext,
        delegate* unmanaged<nint, nint, nint, int> init,
        delegate* unmanaged<nint, byte*, nuint, int> update,
        delegate* unmanaged<nint, byte*, uint*, int> final)
    {
        _md = md;
        _newContext = newContext;
        _freeContext = freeContext;
        _init = init;
        _update = update;
        _final = final;
    }

    /// <summary>What <see cref="Sm3"/> hashes with: this, or null for BouncyCastle.</summary>
    public static OpenSslSm3? Shared { get; } = Choose(Environment.GetEnvironmentVariable("OPENHIP_SM3"));

    /// <summary>Null (BouncyCastle) when <paramref name="setting"/> (<c>OPENHIP_SM3</c>) says so, else <see cref="Load"/>.</summary>
    internal static OpenSslSm3? Choose(string? setting) =>
        string.Equals(setting, "bouncycastle", StringComparison.OrdinalIgnoreCase) ? null : Load();

    /// <summary>Binds OpenSSL's SM3; null when no library, no SM3 in it, or an answer differing from BouncyCastle's.</summary>
    internal static OpenSslSm3? Load()
    {
        nint library = 0;
        foreach (string name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, typeof(OpenSslSm3).Assembly, DllImportSearchPath.SafeDirectories, out library))
            {
                break;
            }
        }

        if (library == 0
            || !NativeLibrary.TryGetExport(library, "EVP_MD_fetch", out nint fetch)
            || !NativeLibrary.TryGetExport(library, "EVP_MD_CTX_new", out nint newContext)
            || !NativeLibrary.TryGetExport(library, "EVP_MD_CTX_free", out nint freeContext)
            || !NativeLibrary.TryGetExport(library, "EVP_DigestInit_ex", out nint init)
            || !NativeLibrary.TryGetExport(library, "EVP_DigestUpdate", out nint update)
            || !NativeLibrary.TryGetExport(library, "EVP_DigestFinal_ex", out nint final))
        {
            return null;
        }

        // The algorithm object lives as long as the process, as the library does (never unloaded).
        nint md;
        fixed (byte* name = "SM3\0"u8)
        {
            md = ((delegate* unmanaged<nint, byte*, byte*, nint>)fetch)(0, name, null);
        }

        if (md == 0)
        {
            return null;
        }

        var sm3 = new OpenSslSm3(
            md,
            (delegate* unmanaged<nint>)newContext,
            (delegate* unmanaged<nint, void>)freeContext,
            (delegate* unmanaged<nint, nint, nint, int>)init,
            (delegate* unmanaged<nint, byte*, nuint, int>)update,
            (delegate* unmanaged<nint, byte*, uint*, int>)final);
        return sm3.AgreesWithBouncyCastle() ? sm3 : null;
    }

    /// <summary>The hash of <paramref name="first"/> followed by <paramref name="second"/> into 32 bytes.</summary>
    /// <exception cref="InvalidOperationException">OpenSSL reported a failure.</exception>
    public void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        if (destination.Length < Sm3.HashSize)
        {
            throw new ArgumentException($"An SM3 hash is {Sm3.HashSize} bytes.", nameof(destination));
        }

        Context context = _context is { } kept && kept.Owner == this ? kept : (_context = new Context(this));
        nint ctx = context.Handle;
        uint length = 0;
        fixed (byte* a = first)
        fixed (byte* b = second)
        fixed (byte* output = destination)
        {
            if (_init(ctx, _md, 0) != 1
                || (first.Length > 0 && _update(ctx, a, (nuint)first.Length) != 1)
                || (second.Length > 0 && _update(ctx, b, (nuint)second.Length) != 1)
                || _final(ctx, output, &length) != 1
                || length != Sm3.HashSize)
            {
                throw new InvalidOperationException("OpenSSL's SM3 failed");
            }
        }
    }

    private bool AgreesWithBouncyCastle()
    {
        try
        {
            Span<byte> ours = stackalloc byte[Sm3.HashSize];
            Span<byte> reference = stackalloc byte[Sm3.HashSize];
            Hash("abc"u8, [], ours);
            if (!ours.SequenceEqual(Convert.FromHexString("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")))
            {
                return false;
            }

            // Every length across the block and padding boundaries, split at every third byte.
            byte[] input = new byte[3 * 64];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (byte)((i * 131) + 7);
            }

            var digest = new SM3Digest();
            for (int length = 0; length <= input.Length; length++)
            {
                int split = length / 3;
                Hash(input.AsSpan(0, split), input.AsSpan(split, length - split), ours);
                digest.BlockUpdate(input.AsSpan(0, length));
                digest.DoFinal(reference);
                if (!ours.SequenceEqual(reference))
                {
                    return false;
                }
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // A thread's EVP_MD_CTX, freed when the thread has ended and this is collected.
    private sealed class Context
    {
        public Context(OpenSslSm3 owner)
        {
            Owner = owner;
            Handle = owner._newContext();
            if (Handle == 0)
            {
                throw new InvalidOperationException("OpenSSL could not allocate a digest context");
            }
        }

        ~Context() => Owner._freeContext(Handle);

        public OpenSslSm3 Owner { get; }

        public nint Handle { get; }
    }
}
