// The ALTCHA widget's SHA-256 proof-of-work worker, loaded from the site itself.
import "altcha/workers/sha";
