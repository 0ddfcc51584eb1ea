// swagger-client ships no type declarations; the tests use it as a client library nobody here wrote, untyped.
declare module 'swagger-client';
