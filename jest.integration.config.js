// Every integration suite (real Postgres and Redis); each project makes and removes its own database.
module.exports = {
  projects: ['<rootDir>/apps/api/jest.integration.config.js', '<rootDir>/apps/worker/jest.integration.config.js'],
};
