@rem `npm start` on Windows: package.json's script line is `exec node scripts/start.mjs`, and cmd.exe
@rem (npm's script shell there) has no `exec`; it finds this file in the package folder instead.
@%*
