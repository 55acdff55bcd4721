using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenHip.Modules.Security.Features.Crypto;

/// <summary>
/// SM3 (GB/T 32905-2016) of up to sixteen independent short messages at once, one per 32-bit lane of AVX-512
/// registers. Written here because no library offers a multi-message SM3: BouncyCastle hashes one message at a time,
/// and every audited read's chain link (two SM3 blocks) was the largest single part of the audit's cost on the read
/// path (docs/performance.md, "Thirty-first look"). The journal's read audits are chained sixteen chains wide so that
/// sixteen consecutive links are independent and go through here together. Without AVX-512, and for a message longer
/// than <see cref="MaxLength"/>, each message goes to <see cref="Sm3.Hash(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
/// (BouncyCastle). Checked against BouncyCastle by the unit tests and the start-up known-answer tests.
/// </summary>
internal static class Sm3Lanes
{
    /// <summary>Messages hashed together.</summary>
    public const int Width = 16;

    /// <summary>The longest message hashed in lanes: three blocks with SM3's padding; longer ones are hashed alone.</summary>
    public const int MaxLength = (3 * 64) - 9;

    private const int BlockBytes = 64;
    private const int MaxBlocks = 3;

    /// <summary>False turns the lanes off (tests of the fallback).</summary>
    internal static bool Enabled { get; set; } = Avx512F.IsSupported;

    private static ReadOnlySpan<uint> InitialValue => [0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E];

    // T_j rotated left by j mod 32, as each round adds it.
    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x79CC4519, 0xF3988A32, 0xE7311465, 0xCE6228CB, 0x9CC45197, 0x3988A32F, 0x7311465E, 0xE6228CBC,
        0xCC451979, 0x988A32F3, 0x311465E7, 0x6228CBCE, 0xC451979C, 0x88A32F39, 0x11465E73, 0x228CBCE6,
        0x9D8A7A87, 0x3B14F50F, 0x7629EA1E, 0xEC53D43C, 0xD8A7A879, 0xB14F50F3, 0x629EA1E7, 0xC53D43CE,
        0x8A7A879D, 0x14F50F3B, 0x29EA1E76, 0x53D43CEC, 0xA7A879D8, 0x4F50F3B1, 0x9EA1E762, 0x3D43CEC5,
        0x7A879D8A, 0xF50F3B14, 0xEA1E7629, 0xD43CEC53, 0xA879D8A7, 0x50F3B14F, 0xA1E7629E, 0x43CEC53D,
        0x879D8A7A, 0x0F3B14F5, 0x1E7629EA, 0x3CEC53D4, 0x79D8A7A8, 0xF3B14F50, 0xE7629EA1, 0xCEC53D43,
        0x9D8A7A87, 0x3B14F50F, 0x7629EA1E, 0xEC53D43C, 0xD8A7A879, 0xB14F50F3, 0x629EA1E7, 0xC53D43CE,
        0x8A7A879D, 0x14F50F3B, 0x29EA1E76, 0x53D43CEC, 0xA7A879D8, 0x4F50F3B1, 0x9EA1E762, 0x3D43CEC5,
    ];

    /// <summary>
    /// Writes SM3(<paramref name="firsts"/>[i] || <paramref name="seconds"/>[i]) to the i-th 32 bytes of
    /// <paramref name="output"/>, for up to <see cref="Width"/> messages.
    /// </summary>
    public static void Hash(ReadOnlySpan<ReadOnlyMemory<byte>> firsts, ReadOnlySpan<ReadOnlyMemory<byte>> seconds, Span<byte> output)
    {
        int count = firsts.Length;
        if (count > Width || seconds.Length != count || output.Length < count * Sm3.HashSize)
        {
            throw new ArgumentException($"At most {Width} messages, each with both parts and 32 bytes of output.", nameof(firsts));
        }

        if (!Enabled)
        {
            for (int i = 0; i < count; i++)
            {
                Sm3.Hash(firsts[i].Span, seconds[i].Span).CopyTo(output[(i * Sm3.HashSize)..]);
            }

            return;
        }

        Span<byte> messages = stackalloc byte[Width * MaxBlocks * BlockBytes];
        Span<int> blocks = stackalloc int[Width];
        int mostBlocks = 0;
        for (int lane = 0; lane < count; lane++)
        {
            int length = firsts[lane].Length + seconds[lane].Length;
            if (length > MaxLength)
            {
                Sm3.Hash(firsts[lane].Span, seconds[lane].Span).CopyTo(output[(lane * Sm3.HashSize)..]);
                continue;
            }

            Span<byte> message = messages.Slice(lane * MaxBlocks * BlockBytes, MaxBlocks * BlockBytes);
            firsts[lane].Span.CopyTo(message);
            seconds[lane].Span.CopyTo(message[firsts[lane].Length..]);
            blocks[lane] = (length + 9 + BlockBytes - 1) / BlockBytes;
            message[length..(blocks[lane] * BlockBytes)].Clear();
            message[length] = 0x80;
            BinaryPrimitives.WriteUInt64BigEndian(message[((blocks[lane] * BlockBytes) - 8)..], (ulong)length * 8);
            mostBlocks = Math.Max(mostBlocks, blocks[lane]);
        }

        if (mostBlocks == 0)
        {
            return;
        }

        Span<Vector512<uint>> state = stackalloc Vector512<uint>[8];
        for (int i = 0; i < 8; i++)
        {
            state[i] = Vector512.Create(InitialValue[i]);
        }

        Span<Vector512<uint>> schedule = stackalloc Vector512<uint>[68];
        Span<uint> words = stackalloc uint[Width];
        for (int block = 0; block < mostBlocks; block++)
        {
            for (int j = 0; j < 16; j++)
            {
                for (int lane = 0; lane < Width; lane++)
                {
                    words[lane] = BinaryPrimitives.ReadUInt32BigEndian(messages[((lane * MaxBlocks * BlockBytes) + (block * BlockBytes) + (j * 4))..]);
                }

                schedule[j] = Vector512.Create<uint>(words);
            }

            // Lanes whose message has fewer blocks keep their state: only the lanes still hashing take this block.
            for (int lane = 0; lane < Width; lane++)
            {
                words[lane] = blocks[lane] > block ? uint.MaxValue : 0;
            }

            Compress(state, schedule, Vector512.Create<uint>(words));
        }

        for (int lane = 0; lane < count; lane++)
        {
            if (blocks[lane] == 0)
            {
                continue;
            }

            for (int i = 0; i < 8; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(output[((lane * Sm3.HashSize) + (i * 4))..], state[i].GetElement(lane));
            }
        }
    }

    private static void Compress(Span<Vector512<uint>> state, Span<Vector512<uint>> w, Vector512<uint> active)
    {
        for (int j = 16; j < 68; j++)
        {
            Vector512<uint> x = w[j - 16] ^ w[j - 9] ^ Avx512F.RotateLeft(w[j - 3], 15);
            w[j] = x ^ Avx512F.RotateLeft(x, 15) ^ Avx512F.RotateLeft(x, 23) ^ Avx512F.RotateLeft(w[j - 13], 7) ^ w[j - 6];
        }

        Vector512<uint> a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (int j = 0; j < 64; j++)
        {
            Vector512<uint> a12 = Avx512F.RotateLeft(a, 12);
            Vector512<uint> ss1 = Avx512F.RotateLeft(a12 + e + Vector512.Create(RoundConstants[j]), 7);
            Vector512<uint> ss2 = ss1 ^ a12;

            // FF and GG: XORs in the first sixteen rounds, then the majority (truth table 0xE8) and the choice (0xCA).
            Vector512<uint> ff = j < 16 ? a ^ b ^ c : Avx512F.TernaryLogic(a, b, c, 0xE8);
            Vector512<uint> gg = j < 16 ? e ^ f ^ g : Avx512F.TernaryLogic(e, f, g, 0xCA);
            Vector512<uint> tt1 = ff + d + ss2 + (w[j] ^ w[j + 4]);
            Vector512<uint> tt2 = gg + h + ss1 + w[j];
            d = c;
            c = Avx512F.RotateLeft(b, 9);
            b = a;
            a = tt1;
            h = g;
            g = Avx512F.RotateLeft(f, 19);
            f = e;
            e = P0(tt2);
        }

        state[0] = Vector512.ConditionalSelect(active, state[0] ^ a, state[0]);
        state[1] = Vector512.ConditionalSelect(active, state[1] ^ b, state[1]);
        state[2] = Vector512.ConditionalSelect(active, state[2] ^ c, state[2]);
        state[3] = Vector512.ConditionalSelect(active, state[3] ^ d, state[3]);
        state[4] = Vector512.ConditionalSelect(active, state[4] ^ e, state[4]);
        state[5] = Vector512.ConditionalSelect(active, state[5] ^ f, state[5]);
        state[6] = Vector512.ConditionalSelect(active, state[6] ^ g, state[6]);
        state[7] = Vector512.ConditionalSelect(active, state[7] ^ h, state[7]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> P0(Vector512<uint> x) => x ^ Avx512F.RotateLeft(x, 9) ^ Avx512F.RotateLeft(x, 17);
}
