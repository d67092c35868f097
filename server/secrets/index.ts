export { createVault, type Vault } from './vault';
export { resolveDeploymentSecret, SECRET_FILE_NAME } from './deployment';
export { checkVaultOpens, resealSecrets, secretStore, type SecretStore } from './store';
export { installVault, vault } from './process-vault';
export { sealerFor, type Sealer } from './sealer';
