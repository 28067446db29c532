using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// The keys one run holds for an encrypted repository. Opened with a key slot: the master key, from which the data
/// key (objects) and the content-id key (names of stored contents) are derived, and the operators' private key (objects
/// a write-only host wrote). A write-only host holds only the operators' public key and a naming key of its own: it
/// seals new objects for the operators and can open none.
/// </summary>
public sealed class RepositoryCipher
{
    private const string DataInfo = "pipeline-backup data key v1";
    private const string IdInfo = "pipeline-backup content ids v1";
    private const string ObjectInfo = "pipeline-backup object v1";
    private const string WriteOnlyInfo = "pipeline-backup write-only v1";

    private readonly byte[]? _dataKey;
    private readonly ECDiffieHellman? _operatorPublic;
    private readonly Func<CancellationToken, Task<ECDiffieHellman?>> _operatorPrivate;
    private Task<ECDiffieHellman?>? _private;

    private RepositoryCipher(byte[]? dataKey, ContentNaming naming, ECDiffieHellman? operatorPublic,
        Func<CancellationToken, Task<ECDiffieHellman?>> operatorPrivate)
    {
        (_dataKey, Naming, _operatorPublic, _operatorPrivate) = (dataKey, naming, operatorPublic, operatorPrivate);
    }

    /// <summary>With the master key: reads everything (the operators' private key is loaded when first needed).</summary>
    public static RepositoryCipher Full(byte[] master, Func<RepositoryCipher, CancellationToken, Task<ECDiffieHellman?>> operatorPrivate)
    {
        RepositoryCipher? cipher = null;
        cipher = new RepositoryCipher(Derive(master, DataInfo), new ContentNaming(Derive(master, IdInfo)), null,
            ct => operatorPrivate(cipher!, ct));
        return cipher;
    }

    /// <summary>With the operators' public key only: writes, reads nothing.</summary>
    public static RepositoryCipher WriteOnly(ECDiffieHellman operatorPublic, byte[] namingKey) =>
        new(null, new ContentNaming(namingKey) { Recorded = true }, operatorPublic, _ => Task.FromResult<ECDiffieHellman?>(null));

    public bool IsWriteOnly => _dataKey is null;

    /// <summary>How the contents this run stores are named (a write-only host's own key is recorded in its manifests).</summary>
    public ContentNaming Naming { get; }

    /// <summary>A fresh key for a new object: under the data key, or for the operators' public key (ECIES).</summary>
    public ObjectKey KeyForWriting()
    {
        if (_dataKey is not null)
        {
            var header = SealedFormat.Header(SealedFormat.RepositoryMode, new byte[SealedFormat.PointSize]);
            return new ObjectKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, _dataKey, 32, SealedFormat.Salt(header).ToArray(),
                System.Text.Encoding.UTF8.GetBytes(ObjectInfo)), header);
        }
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = ephemeral.ExportParameters(false).Q;
        var h = SealedFormat.Header(SealedFormat.PublicKeyMode, [.. q.X!, .. q.Y!]);
        return new ObjectKey(WriteOnlyKey(ephemeral.DeriveRawSecretAgreement(_operatorPublic!.PublicKey), h), h);
    }

    /// <summary>The key an object was sealed with, from its header; fails when this host does not hold it.</summary>
    public async Task<ObjectKey> KeyForReadingAsync(string name, byte[] header, CancellationToken ct)
    {
        if (header[5] == SealedFormat.RepositoryMode)
        {
            if (_dataKey is null)
                throw new SealedForOthersException(name, "it is sealed with the repository key, and this host holds only the operators' "
                    + "public key (--backup-public-key: write-only, it can add snapshots but not read any)");
            return new ObjectKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, _dataKey, 32, SealedFormat.Salt(header).ToArray(),
                System.Text.Encoding.UTF8.GetBytes(ObjectInfo)), header);
        }
        var operators = await (_private ??= _operatorPrivate(ct))
            ?? throw new SealedForOthersException(name, "a write-only host sealed it for the operators' private key, which opens with a "
                + "key slot (--backup-passphrase or --backup-key-file)");
        var point = SealedFormat.Point(header);
        using var ephemeral = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[..32].ToArray(), Y = point[32..].ToArray() },
        });
        return new ObjectKey(WriteOnlyKey(operators.DeriveRawSecretAgreement(ephemeral.PublicKey), header), header);
    }

    /// <summary>Seals a small object held in memory (the operators' private key itself, for instance).</summary>
    public byte[] Seal(string name, ReadOnlySpan<byte> plain) => SealedFormat.Seal(name, plain, KeyForWriting());

    private static byte[] WriteOnlyKey(byte[] secret, byte[] header) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, SealedFormat.Salt(header).ToArray(),
            [.. System.Text.Encoding.UTF8.GetBytes(WriteOnlyInfo), .. SealedFormat.Point(header)]);

    private static byte[] Derive(byte[] master, string info) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, [], System.Text.Encoding.UTF8.GetBytes(info));
}
